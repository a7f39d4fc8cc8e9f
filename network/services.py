"""Every write to the network goes through these functions.

Each one is keyword-only, runs in one transaction and keeps right what follows from
its action: the meeting rows, the groups' search columns, the activity log and the
outbox. The workspace, the admin, the commands and later features all call them.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from lib.text import fold
from network import fulltext, recurrence
from network.activity import activity_record
from network.models import (
    Association,
    AssociationMembership,
    AssociationRole,
    Group,
    GroupMembership,
    GroupRole,
    GroupStatus,
    Invitation,
    Meeting,
    PartOfDay,
    Pause,
    Schedule,
    ScheduleException,
    Theme,
    Venue,
    slot_bit,
    split_synonyms,
)
from privacy.crypto import blind_index
from privacy.sealing import pseudo_for


class Refused(ValidationError):
    """A service refused an action; the message says why, in the user's language."""


def _refuse_if_changed(obj, expected_updated_at: datetime | None, message) -> None:
    """Refuse an edit made on a page loaded before someone else saved the same object.

    Locks the row until the transaction ends, so two saves cannot both pass the check.
    """
    if expected_updated_at is None:
        return
    current = type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("updated_at", flat=True).first()
    if current != expected_updated_at:
        raise Refused(message)


# --- Meetings: one row per occurrence, kept in place ----------------------------


@dataclass
class _Planned:
    original_date: date
    original_start: datetime
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    is_cancelled: bool = False
    is_changed: bool = False
    note: str = ""


def _horizon_end(today: date) -> date:
    return today + timedelta(days=settings.CERCHIO_MEETING_HORIZON_DAYS)


def rule_dates(*, schedule: Schedule, start: date, end: date) -> list[datetime]:
    """The starts the schedule's rule gives between two dates, within its life."""
    if schedule.ends_on is not None:
        end = min(end, schedule.ends_on)
    if end < start:
        return []
    return recurrence.occurrences(
        rule=schedule.rrule,
        starts_on=schedule.starts_on,
        start_time=schedule.start_time,
        tz=schedule.timezone,
        window_start=start,
        window_end=end,
    )


def _planned_meetings(
    *,
    schedule: Schedule,
    group: Group,
    start: date,
    end: date,
    exceptions: Iterable[ScheduleException] | None = None,
    pauses: Iterable[Pause] | None = None,
) -> dict[date, _Planned]:
    """What the rule, its exceptions and the group's pauses give, by original date."""
    if exceptions is None:
        exceptions = schedule.exceptions.all()
    if pauses is None:
        pauses = group.pauses.all()
    pauses = list(pauses)
    by_date = {exception.original_date: exception for exception in exceptions}
    duration = timedelta(minutes=schedule.duration_minutes)
    planned: dict[date, _Planned] = {}
    for original_start in rule_dates(schedule=schedule, start=start, end=end):
        day = original_start.date()
        meeting = _Planned(
            original_date=day,
            original_start=original_start,
            starts_at=original_start,
            ends_at=original_start + duration,
            venue_id=group.venue_id,
        )
        exception = by_date.get(day)
        if exception is not None:
            meeting.note = exception.public_note
            if exception.kind == ScheduleException.Kind.CANCELLED:
                meeting.is_cancelled = True
            else:
                new_start = datetime.combine(
                    exception.new_date or day,
                    exception.new_start_time or schedule.start_time,
                    tzinfo=original_start.tzinfo,
                )
                meeting.is_changed = True
                meeting.starts_at = new_start
                meeting.ends_at = new_start + duration
                meeting.venue_id = exception.new_venue_id or meeting.venue_id
        pause = next((pause for pause in pauses if pause.covers(day)), None)
        if pause is not None and not meeting.is_cancelled:
            meeting.is_cancelled = True
            meeting.note = meeting.note or pause.public_note
        planned[day] = meeting
    return planned


# How far from its date a single meeting may be moved.
MAX_MOVE_DAYS = 60

_SYNCED_FIELDS = ["original_start", "starts_at", "ends_at", "venue_id", "is_cancelled", "is_changed", "note"]


def _has_dependents(meeting_ids: list[int]) -> set[int]:
    """Meetings that something hangs on (reminders, attendance…): they are never deleted."""
    kept: set[int] = set()
    for relation in Meeting._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            kept |= set(
                relation.related_model._default_manager.filter(
                    **{f"{relation.field.name}__in": meeting_ids}
                ).values_list(relation.field.name, flat=True)
            )
    return kept


def _sync_schedule(*, schedule: Schedule, group: Group, today: date) -> None:
    """Make the schedule's rows from today on match its rule, exceptions and the group's pauses.

    Safe to run any number of times. Rows are matched on their original date and
    updated in place. Meetings that have started are never rewritten. A future row
    the rule no longer gives is deleted if nothing hangs on it, otherwise kept and
    marked not scheduled.
    """
    now = timezone.now()
    # A meeting moved later than its date is still to come after that date has passed:
    # look back as far as a meeting may be moved, but never create a past occurrence.
    start = today - timedelta(days=MAX_MOVE_DAYS)
    planned = _planned_meetings(schedule=schedule, group=group, start=start, end=_horizon_end(today))
    existing = {m.original_date: m for m in schedule.meetings.filter(original_date__gte=start)}
    to_create, to_update, gone = [], [], []
    for day, meeting in planned.items():
        current = existing.pop(day, None)
        if current is None:
            if day >= today:
                to_create.append(Meeting(group_id=group.pk, schedule=schedule, **meeting.__dict__))
            continue
        if current.starts_at <= now:
            continue  # a meeting under way or held is history, even one no longer scheduled
        values = {name: getattr(meeting, name) for name in _SYNCED_FIELDS}
        if not current.is_scheduled or any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.is_scheduled = True
            to_update.append(current)
    for current in existing.values():
        if current.is_scheduled and current.starts_at > now:
            gone.append(current)
    Meeting.objects.bulk_create(to_create)
    if to_update:
        stamp = timezone.now()
        for meeting in to_update:
            meeting.updated_at = stamp
        Meeting.objects.bulk_update(
            to_update, [name.removesuffix("_id") for name in _SYNCED_FIELDS] + ["is_scheduled", "updated_at"]
        )
    if gone:
        ids = [m.pk for m in gone]
        kept = _has_dependents(ids)
        Meeting.objects.filter(pk__in=kept).update(is_scheduled=False, updated_at=timezone.now())
        Meeting.objects.filter(pk__in=set(ids) - kept).delete()


@transaction.atomic
def group_sync_meetings(*, group: Group, today: date | None = None) -> None:
    """Resync the meeting rows of every schedule of a group, then its search columns once."""
    today = today or timezone.localdate()
    # Two writers on one group take turns (PostgreSQL row lock; SQLite locks the database up front).
    group = Group.objects.select_for_update().get(pk=group.pk)
    for schedule in group.schedules.prefetch_related("exceptions"):
        _sync_schedule(schedule=schedule, group=group, today=today)
    group_refresh_search_fields(group=group)


def meetings_refresh_all(*, today: date | None = None) -> int:
    """Move every group's horizon forward; run daily. Returns the groups refreshed."""
    count = 0
    for group in Group.objects.exclude(status__in=[GroupStatus.CLOSED, GroupStatus.GEMMATED]).iterator(chunk_size=500):
        group_sync_meetings(group=group, today=today)
        count += 1
    return count


# --- Search columns -----------------------------------------------------------


def search_fields_for(*, group: Group, upcoming: list[Meeting]) -> dict:
    """The derived search columns of a group, from its venue, themes and meetings."""
    weekdays = slots = 0
    for meeting in upcoming:
        if meeting.is_cancelled or not meeting.is_scheduled:
            continue
        local = meeting.starts_at.astimezone(ZoneInfo(meeting.schedule.timezone))
        weekdays |= recurrence.weekday_bit(local.isoweekday())
        slots |= slot_bit(local.isoweekday(), PartOfDay.of(local.hour))
    venue = group.venue
    words = [group.name, group.description, group.name_en, group.description_en]
    words += [venue.comune if venue else "", venue.name if venue else ""]
    for theme in group.themes.all():
        # The theme's variants and synonyms too, so "alcool" or "ludopatia" find its groups.
        words += [theme.name_it, theme.name_en, *theme.synonym_list]
    return {
        "latitude": venue.latitude if venue else None,
        "longitude": venue.longitude if venue else None,
        "meeting_weekdays": weekdays,
        "meeting_slots": slots,
        "search_text": fold(" ".join(word for word in words if word)),
    }


def group_refresh_search_fields(*, group: Group) -> None:
    group.refresh_from_db(fields=["venue", "name", "description", "name_en", "description_en"])
    upcoming = list(
        group.meetings.filter(starts_at__gte=timezone.now()).select_related("schedule").order_by("starts_at")
    )
    values = search_fields_for(group=group, upcoming=upcoming)
    Group.objects.filter(pk=group.pk).update(**values)
    # The full-text index follows the search text, in the same transaction.
    fulltext.index_groups([(group.pk, values["search_text"])])
    for name, value in values.items():
        setattr(group, name, value)


# --- Themes -------------------------------------------------------------------


@transaction.atomic
def theme_create(*, slug: str, name_it: str, name_en: str = "", synonyms: str = "", by) -> Theme:
    theme = Theme.objects.create(slug=slug, name_it=name_it, name_en=name_en, synonyms=clean_synonyms(synonyms))
    activity_record(actor=by, action="theme.create", target=theme, payload={"slug": slug})
    return theme


MAX_SYNONYMS = 40


def clean_synonyms(text: str) -> str:
    words = split_synonyms(text)
    if len(words) > MAX_SYNONYMS:
        raise Refused(_("Al massimo %(count)s varianti per tema.") % {"count": MAX_SYNONYMS})
    if any(len(word) > 60 for word in words):
        raise Refused(_("Ogni variante può avere al massimo 60 caratteri."))
    return ", ".join(words)


@transaction.atomic
def theme_set_synonyms(*, theme: Theme, synonyms: str, by) -> Theme:
    """Set how else people call a theme ("alcool", "ludopatia"): its groups are found by those words at once."""
    cleaned = clean_synonyms(synonyms)
    if cleaned == theme.synonyms:
        return theme
    old = theme.synonyms
    theme.synonyms = cleaned
    theme.save(update_fields=["synonyms"])
    for group in theme.groups.all():
        group_refresh_search_fields(group=group)
    activity_record(
        actor=by,
        action="theme.synonyms",
        target=theme,
        payload={"from": split_synonyms(old), "to": split_synonyms(cleaned)},
    )
    return theme


@transaction.atomic
def theme_rename(*, theme: Theme, name_it: str, name_en: str, by) -> Theme:
    """Rename a theme; every group on it is found by the new words at once."""
    old = {"name_it": theme.name_it, "name_en": theme.name_en}
    theme.name_it, theme.name_en = name_it, name_en
    theme.save(update_fields=["name_it", "name_en"])
    for group in theme.groups.all():
        group_refresh_search_fields(group=group)
    activity_record(actor=by, action="theme.rename", target=theme, payload={"from": old, "to": [name_it, name_en]})
    return theme


# --- Associations and venues -----------------------------------------------------


ASSOCIATION_FIELDS = {
    "name",
    "slug",
    "coordination",
    "city",
    "public_email",
    "public_phone",
    "website",
    "about",
    "about_en",
    "urgent_numbers",
    "urgent_numbers_en",
}


def _would_loop(association: Association, coordination: Association | None) -> bool:
    seen = set()
    while coordination is not None and coordination.pk not in seen:
        if coordination.pk == association.pk:
            return True
        seen.add(coordination.pk)
        coordination = coordination.coordination
    return False


@transaction.atomic
def association_create(*, by, **fields) -> Association:
    unknown = set(fields) - ASSOCIATION_FIELDS
    if unknown:
        raise TypeError(f"unknown association fields: {sorted(unknown)}")
    association = Association.objects.create(**fields)
    activity_record(actor=by, action="association.create", target=association, association=association)
    return association


@transaction.atomic
def association_update(*, association: Association, by, **changes) -> Association:
    unknown = set(changes) - ASSOCIATION_FIELDS
    if unknown:
        raise TypeError(f"unknown association fields: {sorted(unknown)}")
    if "coordination" in changes and _would_loop(association, changes["coordination"]):
        raise Refused(_("Un'associazione non può far parte di un coordinamento che essa stessa coordina."))
    changed = _assign(association, changes)
    if changed:
        association.save()
        activity_record(
            actor=by,
            action="association.update",
            target=association,
            association=association,
            payload={"fields": changed},
        )
    return association


VENUE_FIELDS = {
    "name",
    "address",
    "comune",
    "province",
    "latitude",
    "longitude",
    "step_free",
    "transport_notes",
}


@transaction.atomic
def venue_create(*, association: Association, by, **fields) -> Venue:
    unknown = set(fields) - VENUE_FIELDS
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    venue = Venue.objects.create(association=association, **fields)
    activity_record(actor=by, action="venue.create", target=venue, association=association)
    return venue


@transaction.atomic
def venue_update(*, venue: Venue, by, expected_updated_at: datetime | None = None, **changes) -> Venue:
    """Edit or move a venue: the groups meeting there are found at the new place at once.

    With `expected_updated_at` (when the editor loaded the venue), a venue saved since is refused.
    """
    unknown = set(changes) - VENUE_FIELDS
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    _refuse_if_changed(
        venue,
        expected_updated_at,
        _(
            "Qualcun altro ha modificato questa sede nel frattempo: ricarica la pagina per vedere "
            "la versione attuale, poi rifai le tue modifiche."
        ),
    )
    changed = _assign(venue, changes)
    if changed:
        venue.save()
        for group in venue.groups.all():
            group_refresh_search_fields(group=group)
        activity_record(
            actor=by, action="venue.update", target=venue, association=venue.association, payload={"fields": changed}
        )
    return venue


# --- Groups -------------------------------------------------------------------

GROUP_FIELDS = {
    "name",
    "slug",
    "description",
    "audience",
    "facilitator_kind",
    "venue",
    "online_url",
    "language",
    "accessibility_notes",
    "name_en",
    "description_en",
    "accessibility_notes_en",
    "entry",
    "accepting_newcomers",
    "max_size",
    "start_mode",
    "parent",
}
# What changes the search columns when edited.
_SEARCHED = {"name", "description", "name_en", "description_en", "venue", "themes"}

# Allowed lifecycle moves: from → to.
# A new group: planned → promoting → first meeting held → active; a group that already
# meets (born spontaneously) may go from planned straight to active.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    GroupStatus.PLANNED: {GroupStatus.PROMOTING, GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.PROMOTING: {GroupStatus.FIRST_MEETING_HELD, GroupStatus.PLANNED, GroupStatus.CLOSED},
    GroupStatus.FIRST_MEETING_HELD: {GroupStatus.ACTIVE, GroupStatus.PROMOTING, GroupStatus.CLOSED},
    GroupStatus.ACTIVE: {GroupStatus.SUSPENDED, GroupStatus.CLOSED, GroupStatus.GEMMATED},
    GroupStatus.SUSPENDED: {GroupStatus.ACTIVE, GroupStatus.CLOSED},
    GroupStatus.CLOSED: {GroupStatus.ACTIVE},
    GroupStatus.GEMMATED: set(),
}


def _assign(obj, changes: dict) -> list[str]:
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _check_venue(group: Group, venue: Venue | None) -> None:
    if venue is not None and venue.association_id != group.association_id:
        raise Refused(_("La sede appartiene a un'altra associazione."))


@transaction.atomic
def group_create(
    *, association: Association, by, themes: Iterable[Theme] = (), status: str = GroupStatus.ACTIVE, **fields
) -> Group:
    unknown = set(fields) - GROUP_FIELDS
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")
    group = Group(association=association, status=status, **fields)
    _check_venue(group, group.venue)
    if group.parent is not None and group.parent.association_id != association.pk:
        raise Refused(_("Il gruppo di origine appartiene a un'altra associazione."))
    group.save()
    group.themes.set(themes)
    group_refresh_search_fields(group=group)
    activity_record(actor=by, action="group.create", target=group, group=group, payload={"status": status})
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    by,
    themes: Iterable[Theme] | None = None,
    expected_updated_at: datetime | None = None,
    **changes,
) -> Group:
    """Edit a group's description, venue, audience, newcomers…; lifecycle goes through group_set_status.

    With `expected_updated_at` (when the editor loaded the group), a group saved since is refused.
    """
    unknown = set(changes) - GROUP_FIELDS
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")
    _refuse_if_changed(
        group,
        expected_updated_at,
        _(
            "Qualcun altro ha modificato questo gruppo nel frattempo: ricarica la pagina per vedere "
            "la versione attuale, poi rifai le tue modifiche."
        ),
    )
    if "venue" in changes:
        _check_venue(group, changes["venue"])
    if changes.get("parent") is not None and (
        changes["parent"].association_id != group.association_id or changes["parent"].pk == group.pk
    ):
        raise Refused(_("Scegli come origine un altro gruppo della stessa associazione."))
    changed = _assign(group, changes)
    if changed:
        group.save()
    if themes is not None:
        themes = list(themes)
        if {t.pk for t in themes} != set(group.themes.values_list("pk", flat=True)):
            group.themes.set(themes)
            changed.append("themes")
    if "venue" in changed:
        group_sync_meetings(group=group)  # meetings without their own venue follow the group
    elif _SEARCHED & set(changed):
        group_refresh_search_fields(group=group)
    if changed:
        activity_record(actor=by, action="group.update", target=group, group=group, payload={"fields": changed})
    return group


# A group being started becomes active only once its mandatory agreements are made.
GATED_STARTS = {GroupStatus.PLANNED, GroupStatus.PROMOTING, GroupStatus.FIRST_MEETING_HELD}


def refuse_unready(*, group: Group, status: str) -> None:
    """The gates of the founding path: activation needs the agreements, "first meeting held" its date."""
    from network.agreements import agreements_of, describe_missing, missing_agreements

    if status == GroupStatus.ACTIVE and group.status in GATED_STARTS:
        missing = missing_agreements(group)
        if missing:
            raise Refused(
                _("Il gruppo non può ancora diventare attivo: mancano gli accordi su %(missing)s.")
                % {"missing": "; ".join(describe_missing(missing))}
            )
    if status == GroupStatus.FIRST_MEETING_HELD:
        first = agreements_of(group).first_meeting_at
        if first is None:
            raise Refused(_("Prima fissa la data del primo incontro negli accordi."))
        if first > timezone.now():
            raise Refused(_("Il primo incontro non c'è ancora stato: è fissato per una data futura."))


@transaction.atomic
def group_set_status(*, group: Group, status: str, by) -> Group:
    """Move a group through its life (planned → promoting → first meeting held → active → suspended → closed…).

    Refused with its reason when the move is not allowed, when a group being started
    would become active without its mandatory agreements, or when a first meeting
    not yet held would be marked as held.
    """
    if status == group.status:
        return group
    if status not in STATUS_TRANSITIONS.get(group.status, set()):
        raise Refused(
            _("Un gruppo «%(from)s» non può passare a «%(to)s».")
            % {"from": GroupStatus(group.status).label, "to": GroupStatus(status).label}
        )
    refuse_unready(group=group, status=status)
    old = group.status
    group.status = status
    group.save(update_fields=["status", "updated_at"])
    if status in (GroupStatus.CLOSED, GroupStatus.GEMMATED):
        today = timezone.localdate()
        for schedule in group.schedules.current(today):
            schedule.ends_on = today - timedelta(days=1)
            schedule.save(update_fields=["ends_on", "updated_at"])
        group_sync_meetings(group=group)
    activity_record(actor=by, action="group.status", target=group, group=group, payload={"from": old, "to": status})
    return group


@transaction.atomic
def group_pause(*, group: Group, starts_on: date, ends_on: date, note: str = "", by) -> Pause:
    """No meetings between two dates, in one step; meetings in the period show as cancelled."""
    if ends_on < starts_on:
        raise Refused(_("La pausa deve finire dopo l'inizio."))
    if ends_on < timezone.localdate():
        raise Refused(_("Questo periodo è già passato."))
    if (ends_on - starts_on).days > 366:
        raise Refused(_("Una pausa dura al massimo un anno: per fermare il gruppo chiedi all'associazione."))
    if group.pauses.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise Refused(_("C'è già una pausa in questo periodo."))
    pause = Pause.objects.create(group=group, starts_on=starts_on, ends_on=ends_on, public_note=note)
    group_sync_meetings(group=group)
    activity_record(
        actor=by,
        action="group.pause",
        target=pause,
        group=group,
        payload={"from": starts_on.isoformat(), "to": ends_on.isoformat()},
    )
    return pause


@transaction.atomic
def pause_remove(*, pause: Pause, by) -> None:
    if pause.ends_on < timezone.localdate():
        raise Refused(_("Questa pausa è già finita: resta nello storico del gruppo."))
    group = pause.group
    payload = {"from": pause.starts_on.isoformat(), "to": pause.ends_on.isoformat()}
    pause.delete()
    group_sync_meetings(group=group)
    activity_record(actor=by, action="group.pause_removed", group=group, payload=payload)


# --- Schedules ----------------------------------------------------------------


# How far ahead a new rhythm may start.
MAX_START_DAYS = 2 * 366


def _clean_schedule(*, rrule: str, start_time: time, duration_minutes: int, starts_on: date) -> str:
    if starts_on > timezone.localdate() + timedelta(days=MAX_START_DAYS):
        raise Refused(_("Scegli una data entro i prossimi due anni."))
    try:
        rrule = recurrence.validate(rrule)
    except recurrence.InvalidRule as error:
        raise Refused(_("Questo ritmo non dà nessuna data: controlla giorno e settimane.")) from error
    if not 15 <= duration_minutes <= 600:
        raise Refused(_("La durata va da 15 a 600 minuti."))
    if not recurrence.occurrences(
        rule=rrule,
        starts_on=starts_on,
        start_time=start_time,
        tz=settings.CERCHIO_DEFAULT_TIMEZONE,
        window_start=starts_on,
        window_end=starts_on + timedelta(days=800),
    ):
        raise Refused(_("Questo ritmo non dà nessuna data: controlla giorno e settimane."))
    return rrule


@transaction.atomic
def schedule_create(
    *, group: Group, rrule: str, start_time: time, duration_minutes: int = 120, starts_on: date | None = None, by
) -> Schedule:
    starts_on = starts_on or timezone.localdate()
    rrule = _clean_schedule(rrule=rrule, start_time=start_time, duration_minutes=duration_minutes, starts_on=starts_on)
    schedule = Schedule.objects.create(
        group=group, rrule=rrule, starts_on=starts_on, start_time=start_time, duration_minutes=duration_minutes
    )
    group_sync_meetings(group=group)
    activity_record(
        actor=by,
        action="schedule.create",
        target=schedule,
        group=group,
        payload={"rrule": rrule, "start_time": start_time.strftime("%H:%M"), "from": starts_on.isoformat()},
    )
    return schedule


def _has_met(schedule: Schedule) -> bool:
    return schedule.meetings.filter(starts_at__lte=timezone.now()).exists()


def _carry_over_changes(*, source: Schedule, target: Schedule, first_day: date, payload: dict) -> None:
    """Changes already decided from `first_day` on (a cancellation, a move) follow the new rhythm
    where it has that date; the others no longer apply and are dropped, their dates logged."""
    coming = list(source.exceptions.filter(original_date__gte=first_day))
    if not coming:
        return
    dates = {
        start.date() for start in rule_dates(schedule=target, start=first_day, end=max(e.original_date for e in coming))
    }
    ScheduleException.objects.filter(pk__in=[e.pk for e in coming if e.original_date in dates]).update(schedule=target)
    dropped = [e for e in coming if e.original_date not in dates]
    if dropped:
        payload["dropped_changes"] = [e.original_date.isoformat() for e in dropped]
        ScheduleException.objects.filter(pk__in=[e.pk for e in dropped]).delete()


@transaction.atomic
def schedule_change(
    *,
    schedule: Schedule,
    rrule: str,
    start_time: time,
    duration_minutes: int,
    by,
    starts_on: date | None = None,
    expected_updated_at: datetime | None = None,
) -> Schedule:
    """Change a group's rhythm, time or duration, from today or from a later date.

    A time or duration change from today changes the rows in place. A new rhythm, or
    any change from a later date, on a schedule already in force splits it: the
    schedule ends the day before and a successor takes over,
    so the meetings held (and those still to come before that date) keep the rule
    and time they were announced with, and the calendar feed stays true about them.
    Changes already decided for dates after the split (a cancellation, a move) carry
    over when the new rhythm has that date; the others are dropped and listed in the
    activity log.
    With `expected_updated_at`, a schedule changed since the editor loaded it is refused.
    """
    _refuse_if_changed(
        schedule,
        expected_updated_at,
        _(
            "Qualcun altro ha modificato il ritmo di questo gruppo nel frattempo: ricarica la pagina per "
            "vedere la versione attuale, poi rifai le tue modifiche."
        ),
    )
    today = timezone.localdate()
    if starts_on is not None and starts_on < today:
        raise Refused(_("Scegli oggi o una data futura."))
    rrule = _clean_schedule(
        rrule=rrule, start_time=start_time, duration_minutes=duration_minutes, starts_on=starts_on or today
    )
    group = schedule.group
    payload = {
        "rrule": [schedule.rrule, rrule],
        "start_time": [schedule.start_time.strftime("%H:%M"), start_time.strftime("%H:%M")],
        "duration_minutes": [schedule.duration_minutes, duration_minutes],
    }
    unchanged = (rrule, start_time, duration_minutes) == (
        schedule.rrule,
        schedule.start_time,
        schedule.duration_minutes,
    )
    if unchanged:
        return schedule
    # A meeting that has started today stays in the old schedule's life (and in the feed).
    started_today = schedule.meetings.filter(original_date=today, starts_at__lte=timezone.now()).exists()
    first_day = max(starts_on or today, today + timedelta(days=1) if started_today else today)
    if schedule.starts_on < first_day and (rrule != schedule.rrule or first_day > today):
        # In force before the change: split, so what was held or announced keeps its rule.
        schedule.ends_on = first_day - timedelta(days=1)
        schedule.save(update_fields=["ends_on", "updated_at"])
        result = Schedule.objects.create(
            group=group,
            rrule=rrule,
            starts_on=first_day,
            start_time=start_time,
            duration_minutes=duration_minutes,
            timezone=schedule.timezone,
        )
        payload["successor"] = result.pk
        payload["from"] = first_day.isoformat()
    else:
        schedule.rrule, schedule.start_time, schedule.duration_minutes = rrule, start_time, duration_minutes
        if starts_on is not None and not _has_met(schedule):
            schedule.starts_on = starts_on
        schedule.save()
        result = schedule
    _carry_over_changes(source=schedule, target=result, first_day=first_day, payload=payload)
    group_sync_meetings(group=group)
    activity_record(actor=by, action="schedule.change", target=schedule, group=group, payload=payload)
    return result


@transaction.atomic
def schedule_end(*, schedule: Schedule, ends_on: date, by) -> Schedule:
    """End a schedule; one that never met may simply go."""
    group = schedule.group
    if not _has_met(schedule) and ends_on < schedule.starts_on:
        schedule.exceptions.all().delete()
        schedule.meetings.filter(pk__in=set(schedule.meetings.values_list("pk", flat=True))).delete()
        pk = schedule.pk
        schedule.delete()
        group_refresh_search_fields(group=group)
        activity_record(actor=by, action="schedule.delete", group=group, payload={"schedule": pk})
        return schedule
    schedule.ends_on = max(ends_on, timezone.localdate() - timedelta(days=1))
    schedule.save(update_fields=["ends_on", "updated_at"])
    group_sync_meetings(group=group)
    activity_record(
        actor=by, action="schedule.end", target=schedule, group=group, payload={"to": schedule.ends_on.isoformat()}
    )
    return schedule


# --- One meeting --------------------------------------------------------------


def _editable(meeting: Meeting) -> None:
    if meeting.starts_at <= timezone.now():
        raise Refused(_("Questo incontro è già passato: non si può più cambiare."))
    if not meeting.is_scheduled:
        raise Refused(_("Questo incontro non è più in calendario."))


def _exception_for(meeting: Meeting, *, kind: str) -> ScheduleException:
    """The meeting's exception; a new one starts as `kind` (the model's default would cancel it)."""
    exception, _created = ScheduleException.objects.get_or_create(
        schedule=meeting.schedule, original_date=meeting.original_date, defaults={"kind": kind}
    )
    return exception


def _apply(meeting: Meeting) -> Meeting:
    group_sync_meetings(group=meeting.group)
    meeting.refresh_from_db()
    return meeting


def _meeting_payload(meeting: Meeting, **extra) -> dict:
    return {"date": meeting.original_date.isoformat(), **extra}


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, note: str = "", by) -> Meeting:
    _editable(meeting)
    exception = _exception_for(meeting, kind=ScheduleException.Kind.CANCELLED)
    exception.kind = ScheduleException.Kind.CANCELLED
    exception.public_note = note
    exception.save()
    activity_record(
        actor=by, action="meeting.cancel", target=meeting, group=meeting.group, payload=_meeting_payload(meeting)
    )
    return _apply(meeting)


@transaction.atomic
def meeting_restore(*, meeting: Meeting, by) -> Meeting:
    """Undo a cancellation: the meeting is held as planned (or as moved before)."""
    _editable(meeting)
    if meeting.group.pauses.filter(starts_on__lte=meeting.original_date, ends_on__gte=meeting.original_date).exists():
        # Without this the meeting stayed cancelled while the facilitator was told it is held.
        raise Refused(_("Questo incontro è in una pausa del gruppo: togli la pausa o cambiane le date."))
    exception = ScheduleException.objects.filter(schedule=meeting.schedule, original_date=meeting.original_date).first()
    if exception is not None:
        if exception.new_date or exception.new_start_time or exception.new_venue_id:
            exception.kind = ScheduleException.Kind.CHANGED
            exception.save()
        else:
            exception.delete()
    activity_record(
        actor=by, action="meeting.restore", target=meeting, group=meeting.group, payload=_meeting_payload(meeting)
    )
    return _apply(meeting)


@transaction.atomic
def meeting_move(*, meeting: Meeting, new_date: date, new_time: time, note: str = "", by) -> Meeting:
    """Hold one meeting on another date or at another time."""
    _editable(meeting)
    schedule = meeting.schedule
    zone = ZoneInfo(schedule.timezone)
    starts_at = datetime.combine(new_date, new_time, tzinfo=zone)
    if starts_at <= timezone.now():
        raise Refused(_("Scegli una data e un'ora future."))
    if abs((new_date - meeting.original_date).days) > MAX_MOVE_DAYS:
        raise Refused(_("Si può spostare un incontro di al massimo due mesi."))
    pauses = meeting.group.pauses
    if pauses.filter(starts_on__lte=meeting.original_date, ends_on__gte=meeting.original_date).exists():
        raise Refused(_("Questo incontro è in una pausa del gruppo: togli la pausa o cambiane le date."))
    if pauses.filter(starts_on__lte=new_date, ends_on__gte=new_date).exists():
        raise Refused(_("In quella data il gruppo è in pausa."))
    if meeting.is_cancelled:
        raise Refused(_("Questo incontro è annullato: ripristinalo prima di spostarlo."))
    others = Meeting.objects.filter(group=meeting.group, is_scheduled=True, is_cancelled=False).exclude(pk=meeting.pk)
    if any(
        timezone.localtime(other.starts_at, zone).date() == new_date
        for other in others.filter(
            starts_at__date__gte=new_date - timedelta(days=1), starts_at__date__lte=new_date + timedelta(days=1)
        )
    ):
        raise Refused(_("In quella data il gruppo ha già un altro incontro."))
    exception = _exception_for(meeting, kind=ScheduleException.Kind.CHANGED)
    exception.kind = ScheduleException.Kind.CHANGED
    exception.new_date = None if new_date == meeting.original_date else new_date
    exception.new_start_time = None if new_time == schedule.start_time else new_time
    exception.public_note = note or exception.public_note
    if not (exception.new_date or exception.new_start_time or exception.new_venue_id):
        exception.delete()  # moved back to where the rule puts it
    else:
        exception.save()
    activity_record(
        actor=by,
        action="meeting.move",
        target=meeting,
        group=meeting.group,
        payload=_meeting_payload(meeting, to=starts_at.isoformat()),
    )
    return _apply(meeting)


@transaction.atomic
def meeting_change_venue(*, meeting: Meeting, venue: Venue | None, note: str = "", by) -> Meeting:
    """Hold one meeting at another venue of the association (None: back to the usual one)."""
    _editable(meeting)
    group = meeting.group
    # The venue the meeting already has may stay, even if it belongs elsewhere (older data).
    if venue is not None and venue.association_id != group.association_id and venue.pk != meeting.venue_id:
        raise Refused(_("La sede appartiene a un'altra associazione."))
    exception = _exception_for(meeting, kind=ScheduleException.Kind.CHANGED)
    exception.new_venue = None if venue is None or venue.pk == group.venue_id else venue
    if exception.kind != ScheduleException.Kind.CANCELLED:
        exception.kind = ScheduleException.Kind.CHANGED
    exception.public_note = note or exception.public_note
    if exception.kind == ScheduleException.Kind.CHANGED and not (
        exception.new_date or exception.new_start_time or exception.new_venue_id
    ):
        exception.delete()
    else:
        exception.save()
    activity_record(
        actor=by,
        action="meeting.venue",
        target=meeting,
        group=group,
        payload=_meeting_payload(meeting, venue=venue.pk if venue else None),
    )
    return _apply(meeting)


# --- Roles and invitations ----------------------------------------------------

INVITATION_DAYS = 7
INVITABLE_ROLES = {AssociationRole.COORDINATOR, AssociationRole.INTAKE, AssociationRole.REFERRER, GroupRole.FACILITATOR}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(*, invitation_id: int, salt: str) -> str:
    """The one-time token of an invitation's link, derived with the site's secret key."""
    return salted_hmac("cerchio.invitation", f"{invitation_id}:{salt}", algorithm="sha256").hexdigest()[:43]


@transaction.atomic
def invitation_send(
    *, association: Association, role: str, email: str, by, group: Group | None = None, language: str = "it"
) -> tuple[Invitation, str]:
    """Invite someone by e-mail to take a role; returns the invitation and its one-time token.

    The e-mail goes through the outbox, in the same transaction: no invitation
    without its message, no message without its invitation.
    """
    from notifications.services import message_enqueue

    if role not in INVITABLE_ROLES:
        raise Refused(_("Questo ruolo non si assegna con un invito."))
    if (role == GroupRole.FACILITATOR) != (group is not None):
        raise Refused(_("Per invitare un facilitatore scegli il gruppo."))
    if group is not None and group.association_id != association.pk:
        raise Refused(_("Il gruppo appartiene a un'altra associazione."))
    salt = secrets.token_hex(16)
    invitation = Invitation.objects.create(
        association=association,
        group=group,
        role=role,
        email=email.strip().lower(),
        email_index=blind_index(email),
        salt=salt,
        token_hash=secrets.token_hex(32),  # replaced below, once the id is known
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    token = invitation_token(invitation_id=invitation.pk, salt=salt)
    invitation.token_hash = _token_hash(token)
    invitation.save(update_fields=["token_hash"])
    message_enqueue(
        kind="invitation",
        key=f"invitation:{invitation.pk}",
        to=invitation.email,
        language=language,
        # Plain values only: the link is rebuilt from id and salt when the message is sent.
        context={
            "invitation": invitation.pk,
            "salt": salt,
            "association": association.name,
            "group": group.name if group else "",
            "role": role,
            "expires_on": invitation.expires_at.date().isoformat(),
        },
        association_id=association.pk,
    )
    activity_record(
        actor=by,
        action="invitation.send",
        target=invitation,
        association=association,
        group=group,
        payload={"role": role},
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("association", "group").filter(token_hash=_token_hash(token)).first()


def _check_open(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise Refused(_("Questo invito non esiste: controlla il link."))
    if invitation.accepted_at:
        raise Refused(_("Questo invito è già stato usato. Se è tuo, accedi con la tua e-mail."))
    if invitation.withdrawn_at:
        raise Refused(_("Questo invito è stato ritirato."))
    if invitation.expires_at <= timezone.now():
        raise Refused(_("Questo invito è scaduto: chiedi all'associazione di mandartene un altro."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user=None, password: str | None = None, nickname: str = "", language: str = "it"):
    """Accept an invitation: create the account if needed, then the role. Returns the user."""
    from accounts.models import Profile
    from accounts.services import account_create

    invitation = _check_open(
        # Only the invitation's row is locked (the group is an outer join PostgreSQL cannot lock).
        Invitation.objects.select_for_update(of=("self",))
        .select_related("association", "group")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if user is None:
        if not password:
            raise Refused(_("Scegli una password."))
        user = account_create(email=invitation.email, password=password, language=language)
        Profile.objects.update_or_create(user=user, defaults={"nickname": nickname})
    elif user.email != pseudo_for(invitation.email):
        # The role goes to the person the association invited, not to whoever holds the link.
        raise Refused(_("Questo invito è per un altro indirizzo e-mail: esci e apri di nuovo il link."))
    if invitation.group_id:
        GroupMembership.objects.get_or_create(user=user, group=invitation.group, role=invitation.role)
    else:
        AssociationMembership.objects.get_or_create(user=user, association=invitation.association, role=invitation.role)
    # The address has done its job: it is erased from the invitation.
    changed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user, email="", email_index=""
    )
    if changed != 1:
        raise Refused(_("Questo invito è già stato usato. Se è tuo, accedi con la tua e-mail."))
    activity_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        association=invitation.association,
        group=invitation.group,
        payload={"role": invitation.role},
    )
    return user


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by) -> Invitation:
    if invitation.accepted_at:
        raise Refused(_("Questo invito è già stato usato."))
    invitation.withdrawn_at = timezone.now()
    invitation.email = invitation.email_index = ""
    invitation.save(update_fields=["withdrawn_at", "email", "email_index"])
    activity_record(
        actor=by,
        action="invitation.withdraw",
        target=invitation,
        association=invitation.association,
        group=invitation.group,
    )
    return invitation


@transaction.atomic
def membership_end(*, membership: AssociationMembership | GroupMembership, by) -> None:
    """Take a role away (the person keeps their account)."""
    if isinstance(membership, GroupMembership):
        scope = {"group": membership.group}
    else:
        scope = {"association": membership.association}
    payload = {"role": membership.role}
    target_user = membership.user_id
    membership.delete()
    activity_record(actor=by, action="role.end", payload={**payload, "user": target_user}, **scope)


@transaction.atomic
def membership_grant(*, user, role: str, by, association: Association | None = None, group: Group | None = None):
    """Give a person a role directly (site administrators, the demo); others use invitations."""
    if group is not None:
        membership, _created = GroupMembership.objects.get_or_create(user=user, group=group, role=role)
        scope = {"group": group}
    elif association is not None:
        membership, _created = AssociationMembership.objects.get_or_create(
            user=user, association=association, role=role
        )
        scope = {"association": association}
    else:
        raise TypeError("a role needs an association or a group")
    activity_record(actor=by, action="role.grant", target=membership, payload={"role": role}, **scope)
    return membership
