"""Every write of the companion: closing a meeting (counts, agreements, the next date) and the private reflection.

Keyword-only, one transaction each, refusing with `Refused` and a reason in the
user's language. Counts and agreements are the group's and go to its activity log;
the self-reflection is the facilitator's alone and leaves no trace there (a line in a
log coordinators read would tell them it exists).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companion.cards import POINTS
from companion.models import Agreement, AgreementKind, Attendance, Reflection
from network import services as network_services
from network.activity import activity_record
from network.models import GroupMembership, GroupRole, Meeting
from network.services import Refused

# A self-help group has 10–12 people at most; beyond this a number is a typing slip.
MAX_PARTICIPANTS = 60
MAX_AGREEMENTS = 3
AGREEMENT_MAX_LENGTH = 140
NOTE_MAX_LENGTH = 500


@dataclass(frozen=True)
class AgreementItem:
    kind: str
    text: str


def _lock(meeting: Meeting) -> None:
    """Two saves of one meeting (co-facilitators, a double tap) take turns instead of colliding."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()


def _check_held(meeting: Meeting) -> None:
    if meeting.is_cancelled or not meeting.is_scheduled:
        raise Refused(_("Questo incontro non si è tenuto: non ci sono presenze da registrare."))
    if meeting.starts_at > timezone.now():
        raise Refused(_("L'incontro non è ancora cominciato: potrai compilare questa parte alla fine."))


def check_counts(*, participants: int, newcomers: int) -> None:
    """Refuse counts no meeting can have; the form runs the same checks to place them on its fields."""
    if participants < 0 or newcomers < 0:
        raise Refused(_("I numeri non possono essere negativi."))
    if participants > MAX_PARTICIPANTS:
        raise Refused(
            _("%(count)s persone sono troppe per un gruppo: controlla il numero (al massimo %(max)s).")
            % {"count": participants, "max": MAX_PARTICIPANTS}
        )
    if newcomers > participants:
        raise Refused(_("Le persone nuove non possono essere più dei partecipanti: sono comprese tra loro."))


def _clean_agreements(items: list[AgreementItem]) -> list[AgreementItem]:
    cleaned = [AgreementItem(kind=item.kind, text=" ".join(item.text.split())) for item in items]
    cleaned = [item for item in cleaned if item.text]
    if len(cleaned) > MAX_AGREEMENTS:
        raise Refused(_("Al massimo %(max)s accordi: tienili brevi e pratici.") % {"max": MAX_AGREEMENTS})
    for item in cleaned:
        if item.kind not in AgreementKind.values:
            raise Refused(_("Scegli il tipo di ogni accordo."))
        if len(item.text) > AGREEMENT_MAX_LENGTH:
            raise Refused(
                _("Ogni accordo sta in %(max)s caratteri: questo ne ha %(count)s.")
                % {"max": AGREEMENT_MAX_LENGTH, "count": len(item.text)}
            )
    return cleaned


def local_start(meeting: Meeting) -> datetime:
    """The meeting's start in its schedule's time zone, as the facilitator reads and types it."""
    return meeting.starts_at.astimezone(ZoneInfo(meeting.schedule.timezone))


@transaction.atomic
def meeting_close(
    *,
    meeting: Meeting,
    participants: int,
    newcomers: int,
    agreements: list[AgreementItem],
    next_meeting: Meeting | None = None,
    next_date: date | None = None,
    next_time: time | None = None,
    by,
) -> Attendance:
    """Record how many came, the agreements for next time, and confirm or change the next date.

    Saving again replaces what was recorded. Changing the next date goes through
    `network.services.meeting_move`; if that refuses, nothing of the close is saved.
    """
    _lock(meeting)
    _check_held(meeting)
    check_counts(participants=participants, newcomers=newcomers)
    items = _clean_agreements(agreements)
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, defaults={"participants": participants, "newcomers": newcomers}
    )
    meeting.agreements.all().delete()
    Agreement.objects.bulk_create(
        Agreement(meeting=meeting, position=position, kind=item.kind, text=item.text)
        for position, item in enumerate(items)
    )
    moved = False
    if next_meeting is not None and next_date is not None and next_time is not None:
        if next_meeting.group_id != meeting.group_id or next_meeting.starts_at <= meeting.starts_at:
            raise Refused(_("Il prossimo incontro deve essere dello stesso gruppo e venire dopo questo."))
        current = local_start(next_meeting)
        if (current.date(), current.time().replace(second=0, microsecond=0)) != (next_date, next_time):
            try:
                network_services.meeting_move(meeting=next_meeting, new_date=next_date, new_time=next_time, by=by)
            except Refused as error:
                # Shown on the next date's field, with what was typed kept.
                raise Refused({"next_date": error.messages}) from error
            moved = True
    activity_record(
        actor=by,
        action="meeting.close",
        target=meeting,
        group=meeting.group,
        payload={
            "date": meeting.original_date.isoformat(),
            "participants": participants,
            "newcomers": newcomers,
            "agreements": len(items),
            "next_moved": moved,
        },
    )
    return attendance


def _is_facilitator(meeting: Meeting, user) -> bool:
    return GroupMembership.objects.filter(user=user, group_id=meeting.group_id, role=GroupRole.FACILITATOR).exists()


@transaction.atomic
def reflection_save(
    *, meeting: Meeting, went_well: list[str], hard: list[str], note: str = "", share_totals: bool = False, by
) -> Reflection:
    """Save the facilitator's own reflection on a meeting (one per meeting; saving again replaces it)."""
    if by is None or not _is_facilitator(meeting, by):
        raise Refused(_("Solo chi facilita il gruppo può scrivere una riflessione su questo incontro."))
    _lock(meeting)
    if meeting.starts_at > timezone.now():
        raise Refused(_("L'incontro non è ancora cominciato: potrai scrivere la riflessione dopo."))
    unknown = (set(went_well) | set(hard)) - set(POINTS)
    if unknown:
        raise Refused(_("Scegli tra i punti della scheda."))
    both = set(went_well) & set(hard)
    if both:
        raise Refused(_("Un punto non può essere insieme andato bene e difficile: scegline uno."))
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise Refused(
            _("La nota sta in %(max)s caratteri: questa ne ha %(count)s.")
            % {"max": NOTE_MAX_LENGTH, "count": len(note)}
        )
    order = list(POINTS)
    reflection, _created = Reflection.objects.update_or_create(
        meeting=meeting,
        author=by,
        defaults={
            "went_well": sorted(set(went_well), key=order.index),
            "hard": sorted(set(hard), key=order.index),
            "note": note,
            "share_totals": share_totals,
        },
    )
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection, by) -> None:
    if by is None or reflection.author_id != by.pk:
        raise Refused(_("Questa riflessione non è tua."))
    reflection.delete()
