"""The five ways a group starts (chapter 3), each with its own checklist.

Steps are data. Most are ticked off by hand; a few are read from the group itself
(the agreements made, the first meeting fixed or held) so they can never be ticked
while untrue.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from network.agreements import agreements_of, missing_agreements
from network.models import Group, GroupStatus, StartMode


@dataclass(frozen=True)
class Step:
    key: str
    label: str | Promise
    hint: str | Promise = ""
    # Read from the group instead of ticked: True when the step is done.
    derived: Callable[[Group], bool] | None = None


def _agreements_made(group: Group) -> bool:
    return not missing_agreements(group)


def _first_meeting_fixed(group: Group) -> bool:
    return agreements_of(group).first_meeting_at is not None


def _first_meeting_held(group: Group) -> bool:
    first = agreements_of(group).first_meeting_at
    return group.status in (GroupStatus.FIRST_MEETING_HELD, GroupStatus.ACTIVE) or (
        first is not None and first <= timezone.now() and group.status != GroupStatus.PLANNED
    )


def _published(group: Group) -> bool:
    return group.status != GroupStatus.PLANNED


THEME = Step("theme", _("Tema e destinatari precisati"), _("Di cosa parla il gruppo e chi può partecipare."))
FACILITATOR = Step("facilitator", _("Facilitatore trovato"), _("Pari o non pari; formato o in formazione."))
VENUE = Step("venue", _("Sede trovata"), _("Raggiungibile con i mezzi pubblici, se possibile senza gradini."))
AGREEMENTS = Step(
    "agreements", _("Accordi completi"), _("Tutti gli accordi obbligatori sono compilati."), _agreements_made
)
FIRST_DATE = Step("first_date", _("Data del primo incontro fissata"), "", _first_meeting_fixed)
PUBLISHED = Step(
    "published", _("Gruppo pubblicato come «in avvio»"), _("Compare nella ricerca con il primo incontro."), _published
)
CALLS = Step(
    "calls", _("Breve telefonata a ogni persona interessata"), _("L'associazione accoglie prima del primo incontro.")
)
ENOUGH = Step("enough", _("Si sono iscritte abbastanza persone (6–8)"), _("Di solito si parte con 6–8 persone."))
HELD = Step("held", _("Primo incontro fatto"), "", _first_meeting_held)

STEPS: dict[str, list[Step]] = {
    StartMode.ON_REQUEST: [
        Step(
            "demand",
            _("Le richieste raccolte bastano per partire"),
            _("Dalla bacheca delle richieste dell'accoglienza."),
        ),
        THEME,
        FACILITATOR,
        VENUE,
        AGREEMENTS,
        FIRST_DATE,
        Step("requesters_invited", _("Chi aveva chiesto il gruppo è stato invitato al primo incontro")),
        CALLS,
        HELD,
    ],
    StartMode.TARGETED: [
        THEME,
        Step("services", _("Servizi invianti individuati"), _("Assistenti sociali, consultori, medici di base…")),
        FACILITATOR,
        VENUE,
        AGREEMENTS,
        FIRST_DATE,
        Step("letter", _("Lettera d'invito inviata ai servizi"), _("I servizi invitano le persone che seguono.")),
        Step("invitations", _("Inviti registrati"), _("Conta gli inviti mandati, mai i nomi.")),
        CALLS,
        ENOUGH,
        HELD,
    ],
    StartMode.OPEN_INVITATION: [
        THEME,
        FACILITATOR,
        VENUE,
        AGREEMENTS,
        FIRST_DATE,
        PUBLISHED,
        Step("poster", _("Locandine e volantini distribuiti"), _("Biblioteche, farmacie, ambulatori, bacheche.")),
        Step("press", _("Comunicato alla stampa locale")),
        Step("event", _("Presentazione in un evento pubblico")),
        CALLS,
        ENOUGH,
        HELD,
    ],
    StartMode.FOURTH_WAY: [
        Step("cofounders", _("Futuri partecipanti co-fondatori individuati")),
        Step("cofounders_meeting", _("Incontro di progettazione con i co-fondatori")),
        THEME,
        FACILITATOR,
        VENUE,
        AGREEMENTS,
        FIRST_DATE,
        PUBLISHED,
        Step("promotion", _("Promozione fatta insieme ai co-fondatori")),
        HELD,
    ],
    StartMode.SPONTANEOUS: [
        Step("met", _("Incontro con il gruppo esistente"), _("Conoscere il gruppo e come lavora.")),
        Step("criteria_checked", _("Criteri per l'elenco verificati insieme al gruppo")),
        FACILITATOR,
        AGREEMENTS,
        Step("training", _("Il facilitatore conosce la formazione e l'intervisione dell'associazione")),
    ],
}


def steps_for(start_mode: str) -> list[Step]:
    return STEPS.get(start_mode, [])


def step_keys(start_mode: str) -> set[str]:
    return {step.key for step in steps_for(start_mode)}


@dataclass
class StepState:
    step: Step
    done: bool
    ticked_at: object = None
    ticked_by: object = None

    @property
    def derived(self) -> bool:
        return self.step.derived is not None


def path_state(path) -> list[StepState]:
    """Each step of the path with whether it is done (and who ticked it, when)."""
    ticks = {tick.step: tick for tick in path.ticks.select_related("ticked_by", "ticked_by__profile")}
    states = []
    for step in steps_for(path.start_mode):
        if step.derived is not None:
            states.append(StepState(step, step.derived(path.group)))
        else:
            tick = ticks.get(step.key)
            states.append(
                StepState(step, tick is not None, tick.ticked_at if tick else None, tick.ticked_by if tick else None)
            )
    return states
