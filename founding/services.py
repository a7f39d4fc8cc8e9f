"""Every write of the founding path: start a group one of the five ways, tick steps,
count invitations, mark follow-up milestones done, set the association's defaults.

Keyword-only, one transaction each, logged in the activity log. The agreements are
written by network.agreements.group_agreements_set and the lifecycle by
network.services.group_set_status: the gates live there.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from founding.milestones import DUE_SOON_DAYS, milestones_for
from founding.models import FollowUpSettings, FoundingPath, MilestoneDone, StepTick
from founding.paths import steps_for
from intake.demand import demand_start_group
from network.activity import activity_record
from network.models import Association, Audience, Group, GroupStatus, StartMode, Theme
from network.services import Refused, group_create

# How many invitations one entry may record (a mailing to a service's whole list is still a few hundred).
MAX_INVITATIONS_AT_ONCE = 1000
# Groups still being started: their path may be changed.
STARTING = {GroupStatus.PLANNED, GroupStatus.PROMOTING, GroupStatus.FIRST_MEETING_HELD}


def _free_slug(name: str) -> str:
    base = slugify(name)[:110].strip("-") or "gruppo"
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def founding_start(
    *,
    association: Association,
    start_mode: str,
    by,
    name: str = "",
    description: str = "",
    themes: Iterable[Theme] = (),
    audience: str = Audience.AFFECTED,
    group: Group | None = None,
    requesters_count: int = 0,
) -> FoundingPath:
    """Start a group one of the five ways: a new group "in progetto" (or an existing one) with its path.

    Intake's demand board calls this with `start_mode=StartMode.ON_REQUEST`, the theme
    and `requesters_count` (how many people asked; never who): they are invited when
    the first meeting is set.
    """
    if start_mode not in StartMode.values:
        raise Refused(_("Scegli una delle cinque vie."))
    if requesters_count < 0:
        raise Refused(_("Il numero di richieste non può essere negativo."))
    if group is None:
        name = name.strip()
        if not name:
            raise Refused(_("Dai un nome al gruppo."))
        group = group_create(
            association=association,
            by=by,
            themes=themes,
            status=GroupStatus.PLANNED,
            name=name,
            slug=_free_slug(name),
            description=description.strip() or name,
            audience=audience,
            start_mode=start_mode,
        )
    else:
        if group.association_id != association.pk:
            raise Refused(_("Il gruppo appartiene a un'altra associazione."))
        if group.status not in STARTING:
            raise Refused(_("Questo gruppo non è in avvio."))
        if FoundingPath.objects.filter(group=group).exists():
            raise Refused(_("Questo gruppo ha già un percorso di avvio."))
        Group.objects.filter(pk=group.pk).update(start_mode=start_mode)
        group.start_mode = start_mode
    path = FoundingPath.objects.create(
        group=group,
        start_mode=start_mode,
        started_by=by if getattr(by, "is_authenticated", False) else None,
        requesters_count=requesters_count,
    )
    activity_record(
        actor=by,
        action="founding.start",
        target=path,
        group=group,
        payload={"start_mode": start_mode, "requesters": requesters_count},
    )
    return path


@transaction.atomic
def founding_start_on_request(
    *, association: Association, theme: Theme, records: list, name: str, by, description: str = ""
) -> FoundingPath:
    """Start a group *su richiesta* from the demand board: the group, its link to the demand, its path.

    Intake creates the planned group and links the waiting demand to it (so the people
    waiting hear when its first meeting is set); the path counts them, never names them.
    """
    group = demand_start_group(
        association=association, theme=theme, records=records, name=name, description=description, by=by
    )
    return founding_start(
        association=association,
        start_mode=StartMode.ON_REQUEST,
        group=group,
        requesters_count=len(records),
        by=by,
    )


def _manual_step(path: FoundingPath, step: str):
    for candidate in steps_for(path.start_mode):
        if candidate.key == step:
            if candidate.derived is not None:
                raise Refused(_("Questo passo si completa da solo, quando è vero."))
            return candidate
    raise Refused(_("Questo passo non fa parte di questa via."))


@transaction.atomic
def founding_step_tick(*, path: FoundingPath, step: str, by) -> StepTick:
    """Tick a step off; ticking it again changes nothing."""
    _manual_step(path, step)
    tick, created = StepTick.objects.get_or_create(
        path=path, step=step, defaults={"ticked_by": by if getattr(by, "is_authenticated", False) else None}
    )
    if created:
        activity_record(actor=by, action="founding.step", target=path, group=path.group, payload={"step": step})
    return tick


@transaction.atomic
def founding_step_untick(*, path: FoundingPath, step: str, by) -> None:
    """Undo a tick made by mistake; the log keeps both."""
    _manual_step(path, step)
    deleted, _rows = StepTick.objects.filter(path=path, step=step).delete()
    if deleted:
        activity_record(actor=by, action="founding.step_undone", target=path, group=path.group, payload={"step": step})


@transaction.atomic
def founding_invitations_record(*, path: FoundingPath, count: int, by) -> FoundingPath:
    """Add invitations sent (letters, e-mails by a service, personal invitations): a count, never names."""
    if not 1 <= count <= MAX_INVITATIONS_AT_ONCE:
        raise Refused(
            _("Indica quanti inviti sono partiti: da 1 a %(max)d alla volta.") % {"max": MAX_INVITATIONS_AT_ONCE}
        )
    path = FoundingPath.objects.select_for_update().get(pk=path.pk)
    path.invitations_sent += count
    path.save(update_fields=["invitations_sent", "updated_at"])
    activity_record(
        actor=by,
        action="founding.invitations",
        target=path,
        group=path.group,
        payload={"added": count, "total": path.invitations_sent},
    )
    return path


@transaction.atomic
def milestone_done(*, group: Group, kind: str, number: int, by) -> MilestoneDone:
    """Mark a follow-up milestone done (an accompanied meeting, the review, a yearly check-in)."""
    milestone = next((each for each in milestones_for(group) if each.kind == kind and each.number == number), None)
    if milestone is None or milestone.due_on is None:
        raise Refused(_("Questa tappa non è ancora in programma."))
    if milestone.due_on > timezone.localdate() + timedelta(days=DUE_SOON_DAYS):
        raise Refused(_("Questa tappa non è ancora arrivata: si segna quando manca al massimo una settimana."))
    row, created = MilestoneDone.objects.get_or_create(
        group=group,
        kind=kind,
        number=number,
        defaults={"due_on": milestone.due_on, "done_by": by if getattr(by, "is_authenticated", False) else None},
    )
    if created:
        activity_record(
            actor=by,
            action="founding.milestone",
            target=group,
            group=group,
            payload={"kind": kind, "number": number, "due_on": milestone.due_on.isoformat()},
        )
    return row


@transaction.atomic
def followup_settings_set(
    *, association: Association, accompanied_meetings: int, review_after_months: int, checkin_every_months: int, by
) -> FollowUpSettings:
    """Change the association's defaults for following new groups; every group's dates follow."""
    if not 0 <= accompanied_meetings <= 12:
        raise Refused(_("Gli incontri accompagnati vanno da 0 a 12."))
    if not 0 <= review_after_months <= 36 or not 0 <= checkin_every_months <= 36:
        raise Refused(_("Indica un numero di mesi da 0 a 36 (0: nessuna)."))
    settings, _created = FollowUpSettings.objects.update_or_create(
        association=association,
        defaults={
            "accompanied_meetings": accompanied_meetings,
            "review_after_months": review_after_months,
            "checkin_every_months": checkin_every_months,
        },
    )
    activity_record(
        actor=by,
        action="founding.settings",
        target=settings,
        association=association,
        payload={
            "accompanied_meetings": accompanied_meetings,
            "review_after_months": review_after_months,
            "checkin_every_months": checkin_every_months,
        },
    )
    return settings
