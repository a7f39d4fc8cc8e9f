"""The public privacy notice, read from the record of processing in docs/privacy.md.

The record is the one source: the notice lists its rows in the same order, takes the
legal bases and the retention periods from it (periods as configured, when the row
names a setting), and puts each row in plain words from `PLAIN_WORDS`. A row the
table gains is still shown, in the record's own words, until it gets plain words
here (a test asks for them). A missing or damaged file never breaks the page.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RECORD_PATH = Path(settings.BASE_DIR) / "docs" / "privacy.md"
TABLE_HEADING = "## Records of processing"
NEVER_HEADING = "## What Cerchio never stores"

# The environment variable a row names → the key of settings.CERCHIO_RETENTION_DAYS.
RETENTION_SETTINGS = {
    "CERCHIO_RETENTION_AUDIT_DAYS": "audit_log",
    "CERCHIO_RETENTION_INACTIVE_PARTICIPANT_DAYS": "inactive_participant",
    "CERCHIO_RETENTION_SESSION_DAYS": "user_session",
    "CERCHIO_RETENTION_UNCLAIMED_EMAIL_DAYS": "unclaimed_email",
    "CERCHIO_RETENTION_OUTBOX_DAYS": "outbox_message",
    "CERCHIO_RETENTION_UNUSED_INVITATION_DAYS": "unused_invitation",
    "CERCHIO_RETENTION_INTAKE_CLOSED_DAYS": "intake_closed_request",
    "CERCHIO_RETENTION_REFLECTION_DAYS": "reflection",
}


@dataclass(frozen=True)
class Plain:
    """One activity in plain words. `kept` may use %(days)s: the row's first retention period."""

    title: Promise
    why: Promise
    who: Promise
    kept: Promise
    basis: Promise


# Keyed by the first words of the record's "data" cell, lower-cased (see `row_key`).
PLAIN_WORDS: dict[str, Plain] = {
    "account": Plain(
        _("Il tuo account"),
        _("L'indirizzo e-mail con cui accedi (cifrato) e la password (mai leggibile), per farti entrare."),
        _("Tu e gli amministratori del sito."),
        _(
            "Finché usi l'account. L'account di chi partecipa soltanto viene cancellato dopo %(days)s giorni "
            "senza accessi."
        ),
        _("Il servizio che hai chiesto o il tuo consenso."),
    ),
    "profile": Plain(
        _("Il tuo profilo"),
        _(
            "Il nome con cui vuoi essere chiamato (anche di fantasia), e se li scrivi organizzazione, telefono "
            "e note, cifrati: per chiamarti come preferisci e perché l'associazione possa raggiungerti."
        ),
        _("Tu e le persone dell'associazione che hanno un ruolo."),
        _("Quanto il tuo account."),
        _("Il tuo consenso esplicito."),
    ),
    "roles": Plain(
        _("I ruoli"),
        _("Chi coordina, accoglie, invia, facilita o partecipa: serve a mostrare a ciascuno solo ciò che gli spetta."),
        _("Tu e chi coordina la tua associazione."),
        _("Quanto il tuo account."),
        _("L'interesse legittimo dell'associazione; per chi partecipa, il suo consenso esplicito."),
    ),
    "sealed e-mail addresses typed at sign-up or reset that belong to no account": Plain(
        _("Indirizzi e-mail scritti senza avere un account"),
        _("Per mandare l'unico messaggio che hai chiesto (per esempio il recupero della password)."),
        _("Nessuno."),
        _("%(days)s giorno, poi vengono cancellati."),
        _("La tua richiesta."),
    ),
    "second factors": Plain(
        _("La verifica in due passaggi"),
        _("I codici e le chiavi che proteggono gli account di chi lavora con i dati degli altri, cifrati."),
        _("Nessuno: non vengono mai più mostrati, esportati o visti dall'amministrazione."),
        _("Quanto il tuo account."),
        _("L'obbligo di tenere i dati al sicuro."),
    ),
    "signed-in devices": Plain(
        _("I dispositivi collegati"),
        _("Indirizzo IP, browser e ultimo accesso, perché tu possa vedere dove sei collegato e chiudere le sessioni."),
        _("Solo tu."),
        _("%(days)s giorni dopo l'ultimo uso."),
        _("L'obbligo di tenere i dati al sicuro."),
    ),
    "rate-limit counters in the cache": Plain(
        _("I contatori dei tentativi di accesso"),
        _("Per rallentare chi prova a indovinare le password."),
        _("Nessuno."),
        _("Pochi minuti."),
        _("L'obbligo di tenere i dati al sicuro."),
    ),
    "audit log": Plain(
        _("Il registro degli accessi"),
        _(
            "Chi ha visto, scaricato, cambiato o cancellato i dati di chi, gli accessi e i tentativi falliti: "
            "per rendere conto e per indagare se qualcosa va storto."
        ),
        _("Gli amministratori del sito e chi coordina l'associazione interessata (mai un coordinamento regionale)."),
        _("%(days)s giorni."),
        _("L'obbligo di rendere conto e di tenere i dati al sicuro."),
    ),
    "back-office change history": Plain(
        _("Lo storico delle modifiche dell'amministrazione"),
        _("Per rendere conto di ogni modifica fatta dall'amministrazione del sito."),
        _("Gli amministratori del sito."),
        _("Quanto il registro degli accessi."),
        _("L'obbligo di rendere conto."),
    ),
    "activity log": Plain(
        _("Il registro delle attività"),
        _(
            "Chi ha fatto cosa nell'area di lavoro (date, campi cambiati, mai recapiti): la storia del gruppo e "
            "dell'associazione."
        ),
        _("Chi facilita il gruppo e chi coordina l'associazione."),
        _("Quanto il gruppo. Se una persona cancella il suo account, il suo nome viene tolto."),
        _("L'obbligo di rendere conto e l'interesse legittimo dell'associazione."),
    ),
    "invitations to a role": Plain(
        _("Gli inviti a un ruolo"),
        _("L'indirizzo e-mail della persona invitata (cifrato), per mandarle l'invito e farglielo accettare."),
        _("L'associazione che invita vede solo se l'invito è stato accettato, mai l'indirizzo."),
        _(
            "L'indirizzo si cancella quando l'invito è accettato o ritirato; gli inviti non usati si cancellano "
            "%(days)s giorni dopo la scadenza."
        ),
        _("L'interesse legittimo dell'associazione."),
    ),
    "intake requests": Plain(
        _("La tua richiesta di entrare in un gruppo"),
        _(
            "Il nome (anche di fantasia), il telefono o l'e-mail, quando chiamarti e il messaggio che scrivi, "
            "cifrati: per richiamarti e presentarti al gruppo giusto."
        ),
        _(
            "Solo chi si occupa dell'accoglienza nella tua associazione; chi facilita il gruppo sa soltanto il "
            "tuo nome e che è la prima volta."
        ),
        _(
            "Finché la richiesta è aperta; %(days)s giorni dopo la chiusura i dati personali vengono cancellati, "
            "e subito se ritiri la richiesta."
        ),
        _("Il tuo consenso esplicito, con la data e il testo a cui hai detto sì."),
    ),
    "unmet demand": Plain(
        _("Le richieste senza un gruppo"),
        _("Tema, comune e mese, senza nessun dato che ti riguardi: per avviare gruppi dove le persone li cercano."),
        _("Chi coordina e chi accoglie nella tua associazione."),
        _("Senza limite: non dice chi sei."),
        _("L'interesse legittimo dell'associazione."),
    ),
    "attendance after a meeting": Plain(
        _("Le presenze agli incontri"),
        _("Solo due numeri: quante persone c'erano e quante erano nuove. Mai un nome."),
        _("Chi facilita il gruppo; l'associazione vede i totali, senza i numeri sotto 3."),
        _("Quanto il gruppo."),
        _("L'interesse legittimo dell'associazione."),
    ),
    "agreements for the next meeting": Plain(
        _("Gli accordi per l'incontro successivo"),
        _("Poche parole pratiche (chi apre, un impegno), mai quello che le persone raccontano."),
        _("Chi facilita il gruppo."),
        _("Quanto il gruppo."),
        _("L'interesse legittimo del gruppo."),
    ),
    "private self-reflection of a facilitator": Plain(
        _("Le riflessioni di chi facilita"),
        _("Cosa è andato bene o è stato difficile, e una breve nota cifrata: per imparare."),
        _("Solo chi le scrive: né chi coordina né gli amministratori del sito."),
        _("%(days)s giorni."),
        _("Il consenso di chi facilita."),
    ),
    "followers of a group": Plain(
        _("Chi segue un gruppo"),
        _(
            "L'indirizzo e-mail (cifrato) o l'account, la lingua e i gruppi seguiti: per mandarti i promemoria "
            "e gli avvisi di cambiamento."
        ),
        _("Solo tu, da un link in ogni messaggio."),
        _("Finché segui un gruppo: smettendo di seguire l'ultimo, l'indirizzo viene cancellato."),
        _("Il tuo consenso, confermato dal link che ti mandiamo."),
    ),
    "starting a group": Plain(
        _("L'avvio di un nuovo gruppo"),
        _("Chi ha fatto ogni passo dell'avvio e quando; inviti e richieste sono solo numeri, mai nomi."),
        _("Chi facilita il gruppo e chi coordina l'associazione."),
        _("Quanto il gruppo; il nome di chi ha agito viene tolto se chiede la cancellazione."),
        _("L'interesse legittimo dell'associazione."),
    ),
    "a group's agreements": Plain(
        _("Gli accordi di un gruppo"),
        _("Come si entra, le regole, il primo incontro: nessun dato personale."),
        _("Chi facilita e l'associazione; data e luogo del primo incontro sono pubblici."),
        _("Quanto il gruppo."),
        _("Nessun dato personale."),
    ),
    "outbox": Plain(
        _("Le e-mail da spedire"),
        _("L'indirizzo (cifrato) e il contenuto essenziale di ogni e-mail, per spedirla una volta sola e riprovare."),
        _("Nessuno: chi coordina vede solo che un messaggio non è partito."),
        _("%(days)s giorni."),
        _("La stessa del messaggio."),
    ),
}

# The bullets of "What Cerchio never stores", keyed by their bold lead, lower-cased.
NEVER_PLAIN: dict[str, Promise] = {
    "what is said in a meeting.": _(
        "Quello che si dice negli incontri: non c'è nessun verbale e nessuna nota sulle persone."
    ),
    "who looked for what.": _(
        "Chi ha cercato cosa: per cercare un gruppo non serve un account, non usiamo cookie di tracciamento "
        "e le pagine non caricano nulla da altri siti."
    ),
    "the typed e-mail of a failed login": _("L'indirizzo scritto in un accesso fallito, se non c'è un account."),
}


@dataclass
class Activity:
    """One row of the record: the record's own words, and the plain words when there are some."""

    key: str
    data: str
    why: str
    basis: str
    who: str
    kept: str
    articles: list[str] = field(default_factory=list)
    # (setting, documented default) for each retention period the row names.
    periods: list[tuple[str, int]] = field(default_factory=list)
    plain: Plain | None = None

    @property
    def days(self) -> list[int]:
        """Retention periods in days: the configured value of each setting, else the documented default."""
        configured = getattr(settings, "CERCHIO_RETENTION_DAYS", {})
        return [int(configured.get(RETENTION_SETTINGS.get(name), default)) for name, default in self.periods]

    @property
    def title(self) -> str:
        return str(self.plain.title) if self.plain else self.data

    @property
    def plain_kept(self) -> str:
        if self.plain is None:
            return self.kept
        text = str(self.plain.kept)
        if "%(days)s" in text:
            return text % {"days": self.days[0] if self.days else "?"}
        return text


@dataclass
class Notice:
    activities: list[Activity]
    never: list[Promise | str]
    complete: bool  # False when the record could not be read: the page says so


def _clean(cell: str) -> str:
    """Markdown to plain text: no bold, no code marks."""
    return re.sub(r"\s+", " ", cell.replace("**", "").replace("`", "")).strip()


def row_key(data_cell: str) -> str:
    """The first words of the "data" cell: before a colon or a parenthesis."""
    text = _clean(data_cell)
    return re.split(r"[:(]", text, maxsplit=1)[0].strip().rstrip(",").lower()


def _periods(cell: str) -> list[tuple[str, int]]:
    return [(name, int(default)) for name, default in re.findall(r"`?(CERCHIO_[A-Z_]+)`?\s*\((\d+)\)", cell)]


def _articles(cell: str) -> list[str]:
    return re.findall(r"art\.\s*\d[\d.]*[a-z]?(?:,\s*\d[\d.]*[a-z]?)*", cell)


def _section(lines: list[str], heading: str) -> list[str]:
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == heading)
    except StopIteration:
        return []
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        body.append(line)
    return body


def parse_record(text: str) -> Notice:
    lines = text.splitlines()
    activities = []
    for line in _section(lines, TABLE_HEADING):
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 5 or set(cells[0]) <= set("-: ") or cells[0].lower() == "data":
            continue  # the header, its rule, or a row that does not fit the table
        data, why, basis, who, kept = cells
        key = row_key(data)
        activities.append(
            Activity(
                key=key,
                data=_clean(data),
                why=_clean(why),
                basis=_clean(basis),
                who=_clean(who),
                kept=_clean(kept),
                articles=_articles(basis),
                periods=_periods(kept),
                plain=PLAIN_WORDS.get(key),
            )
        )
    never = []
    for line in _section(lines, NEVER_HEADING):
        match = re.match(r"\s*-\s+\*\*(.+?)\*\*", line)
        if match:
            lead = match.group(1).strip().lower()
            # Lazy: the cached notice is shown in each request's language.
            never.append(NEVER_PLAIN[lead] if lead in NEVER_PLAIN else _clean(line.lstrip(" -")))
    return Notice(activities=activities, never=never, complete=bool(activities))


@lru_cache(maxsize=4)
def _parsed(path: str, mtime: float) -> Notice:
    # Cached by modification time; the plain words are resolved at render time (the language may differ).
    notice = parse_record(Path(path).read_text(encoding="utf-8"))
    return notice


def privacy_notice(path: Path | None = None) -> Notice:
    """The notice from the record; never raises (an unreadable record gives an incomplete notice)."""
    path = Path(path or RECORD_PATH)
    try:
        return _parsed(str(path), path.stat().st_mtime)
    except (OSError, UnicodeDecodeError, ValueError):
        return Notice(activities=[], never=[], complete=False)
