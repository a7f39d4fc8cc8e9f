import unicodedata


def fold(text: str) -> str:
    """Lower-case text without accents, so "Città" matches "citta" in searches."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
