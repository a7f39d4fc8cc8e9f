"""Every user-facing string has an Italian and an English translation."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["it", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_english_pages_are_in_english(client, db):
    body = client.get("/en/groups/?place=Atlantide").content.decode()
    assert "Type the name of an Italian town" in body
    assert "Non troviamo" not in body
