"""Unmet demand: the board of waiting requests by theme and area, and groups started on request.

A request no group answers moves to "waiting for a group" and leaves an anonymous
DemandRecord (intake/services.py writes it). Here those records are read and acted on:

- `demand_board()` groups the waiting demand of one association by theme, and within a
  theme into areas: the records within the association's radius (30 km by default) of
  one town. An area reaches the threshold when it holds `demand_threshold` records (6)
  from the last `demand_window_months` (6): that is where a group is worth starting.
- `demand_start_group()` starts a planned group *su richiesta* from an area's records.
  It is the one entry point for this path, so the founding app can deepen it later.
- `demand_news_enqueue()` (a periodic job) tells the people still waiting, once, when
  the group's first meeting is set.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from intake.models import DemandRecord, IntakeRequest, IntakeSettings, Relationship, RequestState
from intake.services import settings_for
from lib.geo import distance_km
from lib.site import absolute_url
from lib.text import fold
from network.activity import activity_record
from network.models import Association, Audience, Group, GroupStatus, Meeting, StartMode, Theme
from network.services import Refused, group_create
from notifications.services import message_enqueue

# The smallest group that can work has 3–4 people: a lower threshold would start groups that cannot.
MINIMUM_THRESHOLD = 3
SETTINGS_FIELDS = ("response_working_days", "demand_threshold", "demand_radius_km", "demand_window_months")
NEWS_KIND = "demand_group_news"
NEWS_EVERY = timedelta(hours=1)


# --- Settings -------------------------------------------------------------------


# One reading of the settings for the whole app (the queue's deadlines use it too).
intake_settings_for = settings_for


@transaction.atomic
def intake_settings_update(*, association: Association, by, expected_updated_at=None, **fields) -> IntakeSettings:
    """Change the response-time target and the demand threshold of one association."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown intake settings: {sorted(unknown)}")
    current, _created = IntakeSettings.objects.select_for_update().get_or_create(association=association)
    if expected_updated_at is not None and not _created and current.updated_at != expected_updated_at:
        raise Refused(
            _(
                "Qualcun altro ha cambiato queste impostazioni nel frattempo: ricarica la pagina per vedere "
                "quelle attuali, poi rifai le tue modifiche."
            )
        )
    checks = {
        "response_working_days": (1, 30, _("Il primo contatto va fissato tra 1 e 30 giorni lavorativi.")),
        "demand_threshold": (
            MINIMUM_THRESHOLD,
            100,
            _("Servono almeno 3 richieste per proporre un gruppo: un gruppo più piccolo non regge."),
        ),
        "demand_radius_km": (1, 300, _("Il raggio della zona va da 1 a 300 km.")),
        "demand_window_months": (1, 36, _("Il periodo considerato va da 1 a 36 mesi.")),
    }
    for name, value in fields.items():
        low, high, message = checks[name]
        if not isinstance(value, int) or not low <= value <= high:
            raise Refused(message)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, fields[name])
    if changed:
        current.save()
        activity_record(
            actor=by, action="intake.settings", target=current, association=association, payload={"fields": changed}
        )
    return current


# --- The board ------------------------------------------------------------------


def window_start(*, today: date, months: int) -> date:
    """The first month the window counts: this month and the `months - 1` before it."""
    return today.replace(day=1) - relativedelta(months=max(months, 1) - 1)


def waiting_demand(association: Association, *, today: date | None = None) -> QuerySet[DemandRecord]:
    """Demand no group answers yet, within the association's window.

    A record counts while no group started on request took it and, while its request still
    has personal data, while that request is still waiting (one that found a group or closed
    no longer asks). Once the request is erased the record stays as anonymous demand.
    """
    today = today or timezone.localdate()
    settings_ = intake_settings_for(association)
    start = window_start(today=today, months=settings_.demand_window_months)
    return (
        DemandRecord.objects.filter(association=association, group__isnull=True, month__gte=start)
        .exclude(request__isnull=False, request__state__in=set(RequestState.values) - {RequestState.WAITING})
        .select_related("theme")
        .order_by("pk")
    )


@dataclass
class Area:
    """Demand for one theme around one town: the records within the radius of its centre."""

    centre: DemandRecord
    records: list[DemandRecord]
    reached: bool

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def label(self) -> str:
        return self.centre.area or _("comune non indicato")

    @property
    def towns(self) -> list[str]:
        """The towns of the area, the centre first, each once."""
        seen: dict[str, str] = {}
        for record in [self.centre, *self.records]:
            name = record.area or _("comune non indicato")
            seen.setdefault(fold(name), name)
        return list(seen.values())


@dataclass
class ThemeDemand:
    theme: Theme | None
    areas: list[Area] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(area.count for area in self.areas)

    @property
    def reached(self) -> bool:
        return any(area.reached for area in self.areas)


def _near(one: DemandRecord, other: DemandRecord, radius_km: float) -> bool:
    if one.latitude is None or one.longitude is None or other.latitude is None or other.longitude is None:
        # Without coordinates, only the same town is near.
        return (one.latitude is None) == (other.latitude is None) and fold(one.area) == fold(other.area)
    if abs(one.latitude - other.latitude) * 111.0 > radius_km * 1.01:
        return False  # far apart north–south: no need for the trigonometry
    return distance_km(one.latitude, one.longitude, other.latitude, other.longitude) <= radius_km


def cluster_areas(records: list[DemandRecord], *, radius_km: float, threshold: int) -> list[Area]:
    """Split one theme's records into areas, the largest first.

    Each round takes the town whose radius holds the most records not yet placed, so the
    first area is the densest there is: if any town has `threshold` records around it,
    the first area reaches the threshold.
    """
    neighbours = {record.pk: {other.pk for other in records if _near(record, other, radius_km)} for record in records}
    by_pk = {record.pk: record for record in records}
    remaining = set(by_pk)
    areas = []
    while remaining:
        centre = min(remaining, key=lambda pk: (-len(neighbours[pk] & remaining), pk))
        members = sorted(neighbours[centre] & remaining)
        remaining -= set(members)
        areas.append(
            Area(centre=by_pk[centre], records=[by_pk[pk] for pk in members], reached=len(members) >= threshold)
        )
    return areas


def demand_board(association: Association, *, today: date | None = None) -> list[ThemeDemand]:
    """The waiting demand of one association by theme × area; themes with a reached area first."""
    settings_ = intake_settings_for(association)
    by_theme: dict[int | None, list[DemandRecord]] = {}
    themes: dict[int | None, Theme | None] = {}
    for record in waiting_demand(association, today=today):
        by_theme.setdefault(record.theme_id, []).append(record)
        themes[record.theme_id] = record.theme
    board = [
        ThemeDemand(
            theme=themes[theme_id],
            areas=cluster_areas(records, radius_km=settings_.demand_radius_km, threshold=settings_.demand_threshold)
            # "I don't know" is shown, but never proposes a group: a group needs a theme.
            if theme_id is not None
            else [Area(centre=records[0], records=records, reached=False)],
        )
        for theme_id, records in by_theme.items()
    ]
    board.sort(key=lambda row: (not row.reached, row.theme is None, -row.count, fold(str(row.theme or ""))))
    return board


def area_around(association: Association, record: DemandRecord, *, today: date | None = None) -> Area | None:
    """The board's area that holds this record (None when the record no longer waits)."""
    if record.theme_id is None:
        return None
    for row in demand_board(association, today=today):
        if row.theme is not None and row.theme.pk == record.theme_id:
            for area in row.areas:
                if any(member.pk == record.pk for member in area.records):
                    return area
    return None


# --- Starting a group on request --------------------------------------------------


def _free_slug(name: str) -> str:
    base = slugify(name)[:110].strip("-") or "gruppo"
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _audience(records: list[DemandRecord]) -> str:
    asked = {record.audience for record in records}
    if asked == {Relationship.FAMILY}:
        return Audience.FAMILY
    if asked == {Relationship.AFFECTED}:
        return Audience.AFFECTED
    return Audience.BOTH


@transaction.atomic
def demand_start_group(
    *,
    association: Association,
    theme: Theme,
    records: list[DemandRecord],
    name: str,
    by,
    description: str = "",
) -> Group:
    """Start a planned group *su richiesta* for waiting demand, and link that demand to it.

    The group is created "planned" (not yet public) with start mode "on request"; the
    coordinator then gives it a venue and a rhythm. When its first meeting is set, the
    people still waiting are told (`demand_news_enqueue`).
    """
    name = (name or "").strip()
    if not name:
        raise Refused(_("Dai un nome al nuovo gruppo."))
    if len(name) > 200:
        raise Refused(_("Il nome del gruppo può avere al massimo 200 caratteri."))
    if theme is None:
        raise Refused(_("Un gruppo su richiesta nasce per un tema: queste richieste non ne indicano uno."))
    pks = {record.pk for record in records}
    if not pks:
        raise Refused(_("Scegli almeno una richiesta in attesa."))
    locked = list(DemandRecord.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    if len(locked) != len(pks) or any(
        record.association_id != association.pk or record.theme_id != theme.pk for record in locked
    ):
        raise Refused(_("Alcune richieste scelte non sono di questa associazione o di questo tema."))
    if any(record.group_id is not None for record in locked):
        raise Refused(_("Alcune richieste scelte hanno già un gruppo: ricarica la pagina."))
    towns = sorted({record.area for record in locked if record.area}, key=fold)
    group = group_create(
        association=association,
        by=by,
        themes=[theme],
        status=GroupStatus.PLANNED,
        name=name,
        slug=_free_slug(name),
        description=description.strip()
        or _("Un nuovo gruppo di auto mutuo aiuto, nato dalle richieste di chi lo cercava."),
        audience=_audience(locked),
        start_mode=StartMode.ON_REQUEST,
    )
    DemandRecord.objects.filter(pk__in=pks).update(group=group)
    activity_record(
        actor=by,
        action="demand.start_group",
        target=group,
        group=group,
        payload={"records": len(locked), "theme": theme.pk, "towns": towns[:10]},
    )
    return group


# --- Telling the people who wait ------------------------------------------------


def _first_meeting(group_id: int, now=None) -> Meeting | None:
    upcoming = Meeting.objects.filter(group_id=group_id, is_scheduled=True, is_cancelled=False)
    return upcoming.filter(starts_at__gte=now or timezone.now()).order_by("starts_at").first()


def _news_key(request_id: int, group_id: int) -> str:
    return f"{request_id}:{group_id}"


def demand_news_due(*, now=None) -> QuerySet[DemandRecord]:
    """Records linked to a group started on request whose person can still be told, once it has a date."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        group=OuterRef("group"), is_scheduled=True, is_cancelled=False, starts_at__gte=now
    )
    return (
        DemandRecord.objects.filter(group__isnull=False, request__isnull=False, request__redacted_at__isnull=True)
        .exclude(request__state=RequestState.CLOSED)
        .exclude(request__email_index="")
        .exclude(group__status__in=[GroupStatus.CLOSED, GroupStatus.GEMMATED])
        .filter(Exists(upcoming))
        .select_related("request", "group", "association")
    )


def demand_news_enqueue(*, now=None) -> int:
    """Enqueue one message per waiting request whose group now has a first meeting; returns how many are new.

    The key is (request, group): however often this runs, each person hears once per group.
    The address is decrypted here only to hand it to the outbox, which stores it encrypted.
    """
    from notifications.models import OutboxMessage

    records = list(demand_news_due(now=now))
    sent = set(
        OutboxMessage.objects.filter(
            kind=NEWS_KIND, key__in=[_news_key(r.request_id, r.group_id) for r in records]
        ).values_list("key", flat=True)
    )
    enqueued = 0
    for record in records:
        key = _news_key(record.request_id, record.group_id)
        if key in sent:
            continue
        with transaction.atomic():
            request = IntakeRequest.objects.select_for_update().filter(pk=record.request_id).first()
            if request is None or request.redacted_at is not None or request.state == RequestState.CLOSED:
                continue
            address = (request.email or "").strip()
            if "@" not in address:
                continue
            language = request.language if request.language in dict(settings.LANGUAGES) else "it"
            meeting = _first_meeting(record.group_id, now)
            group_path = ""
            if record.group.status in (GroupStatus.ACTIVE, GroupStatus.PROMOTING):  # its page is public
                with translation.override(language):
                    group_path = record.group.get_absolute_url()
            message_enqueue(
                kind=NEWS_KIND,
                key=key,
                to=address,
                language=language,
                context={
                    "request": request.pk,
                    "group": record.group_id,
                    "reference": request.reference,
                    "association": record.association.name,
                    "first_meeting": meeting.starts_at.isoformat() if meeting else "",
                    "group_path": group_path,
                },
                association_id=record.association_id,
            )
            enqueued += 1
    return enqueued


def demand_news_still_wanted(message) -> bool:
    """Re-checked just before sending: not withdrawn or erased, still linked, still a date ahead."""
    request_id, group_id = message.context.get("request"), message.context.get("group")
    still = DemandRecord.objects.filter(
        request_id=request_id, group_id=group_id, request__redacted_at__isnull=True
    ).exclude(request__state=RequestState.CLOSED)
    if not still.exists():
        return False
    if Group.objects.filter(pk=group_id, status__in=[GroupStatus.CLOSED, GroupStatus.GEMMATED]).exists():
        return False
    return _first_meeting(group_id) is not None


def demand_news_context(message) -> dict:
    """The date and the link, as plain values (the re-check before sending makes sure a date is still ahead)."""
    context = message.context
    first = context.get("first_meeting")
    return {
        "first_meeting": datetime.fromisoformat(first) if first else None,
        "group_url": absolute_url(context["group_path"]) if context.get("group_path") else "",
    }


NEWS_SAMPLE = {
    "request": 1,
    "group": 1,
    "reference": "R-7K3M2Q",
    "association": "Associazione AMA di prova",
    "first_meeting": "2027-09-14T20:30:00+02:00",
    "group_path": "/it/groups/gruppo-di-prova/",
}


@task()
def demand_news_task() -> int:
    """The periodic job: tell the people waiting when their group's first meeting is set."""
    return demand_news_enqueue()


def register() -> None:
    """Called from IntakeConfig.ready(): the message kind and the periodic job of this module."""
    from notifications.kinds import register_kind
    from notifications.periodic import register_periodic

    register_kind(
        NEWS_KIND,
        template="demand_group_news",
        still_wanted=demand_news_still_wanted,
        build_context=demand_news_context,
        sample_context=NEWS_SAMPLE,
    )
    register_periodic("demand_group_news", task=demand_news_task, every=NEWS_EVERY)
