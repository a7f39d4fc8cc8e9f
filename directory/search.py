"""The directory search, shared by the public pages and the API."""

from dataclasses import dataclass

from django import forms
from django.db import connection, connections
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.places import ResolvedPlace, resolve_place
from directory.rows import NEXT_MEETINGS, GroupRow, group_rows
from lib.geo import bounding_box, distance_km
from network import fulltext, recurrence
from network.models import Audience, Format, Group, Meeting, PartOfDay, Schedule, Theme, Venue, slots_mask
from network.recurrence import WEEKDAY_CHOICES

DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 100  # the widest choice on the page; wider searches scan too much of Italy
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}
BOOLEAN_WORDS = sorted(_TRUE | _FALSE)  # the values `open` accepts, for the API document


class ManyValuesField(forms.TypedMultipleChoiceField):
    """Several values of one parameter (`weekday=2&weekday=4`); empty ones are ignored."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if isinstance(value, str | int):
            value = [str(value)]  # one value given as such (a plain dict rather than a query string)
        values = super().to_python(value)
        return list(dict.fromkeys(each for each in values if each != ""))


class GroupSearchForm(forms.Form):
    """Validates the directory filters; the same rules serve HTML and JSON."""

    q = forms.CharField(label=_("Parole"), max_length=200, required=False)
    theme = forms.CharField(label=_("Area tematica"), max_length=80, required=False)
    place = forms.CharField(label=_("Comune, città o CAP"), max_length=100, required=False)
    lat = forms.FloatField(label=_("Latitudine"), min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(label=_("Longitudine"), min_value=-180, max_value=180, required=False)
    radius_km = forms.FloatField(label=_("Distanza massima (km)"), min_value=1, max_value=MAX_RADIUS_KM, required=False)
    # Several at once: "Tuesday or Thursday", "morning or evening".
    weekday = ManyValuesField(label=_("Giorni"), choices=WEEKDAY_CHOICES, coerce=int, required=False)
    part_of_day = ManyValuesField(label=_("Momento della giornata"), choices=PartOfDay.choices, required=False)
    format = forms.ChoiceField(label=_("Modalità"), choices=[("", _("qualsiasi"))] + Format.choices, required=False)
    audience = forms.ChoiceField(label=_("Per chi"), choices=[("", _("chiunque"))] + Audience.choices, required=False)
    open = forms.CharField(label=_("Solo gruppi che accolgono nuove persone ora"), max_length=5, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)

    def clean_theme(self) -> Theme | None:
        slug = self.cleaned_data["theme"].strip()
        if not slug:
            return None
        theme = Theme.objects.filter(slug=slug).first()
        if theme is None:
            raise forms.ValidationError(_("Non esiste un'area tematica «%(slug)s».") % {"slug": slug[:80]})
        return theme

    def clean_open(self) -> bool | None:
        value = self.cleaned_data["open"].strip().lower()
        if not value:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise forms.ValidationError(_("Usa «true» oppure «false»."))

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None) and not self.has_error("lat") and not self.has_error("lon"):
            self.add_error("lon" if lat is not None else "lat", _("Indica sia la latitudine sia la longitudine."))
        data["origin"] = None
        if lat is not None and lon is not None:
            data["origin"] = ResolvedPlace(_("la tua posizione"), lat, lon)
        elif data.get("place"):
            data["origin"] = resolve_place(data["place"])
            if data["origin"] is None:
                self.add_error(
                    "place",
                    _(
                        "Non troviamo «%(place)s». Scrivi il nome di un comune italiano o il suo CAP, "
                        "per esempio «Trento» o «38122», oppure usa la tua posizione."
                    )
                    % {"place": data["place"][:100]},
                )
        return data


@dataclass
class SearchResults:
    groups: list[GroupRow]
    total: int
    page: int
    page_size: int
    origin: ResolvedPlace | None = None
    radius_km: float | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class RankedPage:
    """What a search found: the page's group ids in order, how many in all, and the distances."""

    ids: list[int]
    total: int
    page: int
    page_size: int
    origin: ResolvedPlace | None
    radius_km: float | None
    distances: dict[int, float]


def _filtered(data: dict):
    groups = Group.objects.public()
    if data.get("theme"):
        groups = groups.filter(themes=data["theme"])
    if data.get("q"):
        groups = fulltext.matching(groups, data["q"])
    weekdays, parts = data.get("weekday") or [], data.get("part_of_day") or []
    if parts:
        mask = slots_mask(weekdays=weekdays, parts=parts)
        groups = groups.alias(slot_match=F("meeting_slots").bitand(mask)).filter(slot_match__gt=0)
    elif weekdays:
        mask = sum(recurrence.weekday_bit(day) for day in weekdays)
        groups = groups.alias(weekday_match=F("meeting_weekdays").bitand(mask)).filter(weekday_match__gt=0)
    if data.get("format"):
        groups = groups.with_format(data["format"])
    if data.get("audience"):
        groups = groups.for_audience(data["audience"])
    if data.get("open") is not None:
        groups = groups.filter(accepting_newcomers=data["open"])
    return groups


def search_groups(data: dict, *, next_meetings: int = NEXT_MEETINGS, rhythms: bool = False) -> SearchResults:
    """Run a validated search (GroupSearchForm.cleaned_data) and return one page of GroupRow
    (directory.rows), each with its first `next_meetings` meetings and, if asked, its rhythms."""
    ranked = rank(data)
    groups = group_rows(ranked.ids, ranked.distances, next_meetings=next_meetings, rhythms=rhythms)
    return SearchResults(groups, ranked.total, ranked.page, ranked.page_size, ranked.origin, ranked.radius_km)


def rank(data: dict) -> RankedPage:
    """The search itself: which groups match, how many, and which of them are on the page, in order."""
    page = data.get("page") or 1
    page_size = data.get("page_size") or DEFAULT_PAGE_SIZE
    origin = data.get("origin")
    groups = _filtered(data)
    offset = (page - 1) * page_size
    distances = {}
    if origin is not None:
        radius = data.get("radius_km") or DEFAULT_RADIUS_KM
        min_lat, max_lat, min_lon, max_lon = bounding_box(origin.latitude, origin.longitude, radius)
        candidates = groups.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        # Unordered: the exact distance orders them below, the database need not sort.
        for pk, lat, lon in candidates.order_by().values_list("pk", "latitude", "longitude"):
            distance = distance_km(origin.latitude, origin.longitude, lat, lon)
            if distance <= radius:
                distances[pk] = distance
        ordered = sorted(distances, key=lambda pk: (distances[pk], pk))
        total = len(ordered)
        page_ids = ordered[offset : offset + page_size]
    else:
        radius = None
        now = timezone.now()
        # Built once, run twice when the walk does not pay: for the ids here, and within the ranking.
        matched_sql, matched_params = groups.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(matched_sql, matched_params)
            matched = [pk for (pk,) in cursor.fetchall()]
        total = len(matched)
        found = _walk_meetings(set(matched), offset + page_size, now) if offset < total else set()
        if found is None:
            page_ids = _by_next_meeting(matched_sql, matched_params, now, page_size, offset)
        elif found:
            # The few groups the walk found are ranked like the others would be.
            page_ids = _by_next_meeting(", ".join(["%s"] * len(found)), list(found), now, page_size, offset)
        else:
            page_ids = []
    return RankedPage(page_ids, total, page, page_size, origin, radius, distances)


# Many matches (a common word, a popular theme, no place): rather than finding the next
# meeting of each of thousands of groups, walk the upcoming meetings in time order
# (index meeting_start) until the page is full. Few matches: the per-group lookup is cheap.
WALK_FROM_MATCHES = 100  # below this, never worth counting the groups to decide
WALK_CHUNK = 250  # the first chunk at least; each next one is twice as long, up to WALK_CHUNK_MAX
WALK_CHUNK_MAX = 8000
WALK_MAX_ROWS = 40_000


WALK_ROW_COST = 2  # a meeting row walked costs about two next-meeting lookups (measured)


def walk_pays(matched: int, need: int, groups: int) -> bool:
    """Whether walking the meetings costs less than looking up each match's next meeting.

    With matches spread over the meetings the walk reads about need × groups / matched rows
    before the page is full; the lookup does one index search per match.
    """
    return WALK_ROW_COST * need * groups <= matched * matched


def _by_next_meeting(ids_sql: str, ids_params: list, now, limit: int, offset: int) -> list[int]:
    """Of the groups whose ids `ids_sql` gives (a query, or placeholders for a few ids), those
    from `offset` on when ranked by their next meeting (none planned last), then name, then
    id: one query.

    Written out: the ORM's version of this query took longer to build than to run.
    """
    ops = connection.ops
    group, meeting = ops.quote_name(Group._meta.db_table), ops.quote_name(Meeting._meta.db_table)
    # Only quoted table names, the ORM's own SQL and placeholders are interpolated.
    sql = (
        f"SELECT g.id FROM {group} AS g WHERE g.id IN ({ids_sql})"  # noqa: S608
        f" ORDER BY (SELECT m.starts_at FROM {meeting} AS m"
        " WHERE m.group_id = g.id AND m.starts_at >= %s AND m.is_cancelled = %s AND m.is_scheduled = %s"
        " ORDER BY m.starts_at LIMIT 1) ASC NULLS LAST, g.name ASC, g.id ASC"
        " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, ops.adapt_datetimefield_value(now), False, True, limit, offset])
        return [pk for (pk,) in cursor.fetchall()]


def _walk_meetings(matched: set[int], need: int, now) -> set[int] | None:
    """The `need` groups meeting soonest (and any meeting at the same moment as the last), or
    None when walking would not pay or not decide.

    A group's first upcoming meeting in time order is its next one, so these are exactly
    the groups that ranking every group by its next meeting puts first; the walk goes on
    past the last start so that groups meeting at that same moment can be ranked by name.
    Rows are read as the cursor gives them: starts are only compared for equality and
    handed back as parameters, so they need no conversion.
    """
    if len(matched) < WALK_FROM_MATCHES or need > len(matched):
        return None
    groups = Group.objects.count()
    if not walk_pays(len(matched), need, groups):
        return None
    ops = connection.ops
    meeting = ops.quote_name(Meeting._meta.db_table)
    upcoming = f"SELECT starts_at, id, group_id FROM {meeting} WHERE is_cancelled = %s AND is_scheduled = %s"  # noqa: S608
    found: set[int] = set()
    boundary = last = None
    seen = 0
    # Rows to read for the page, if matches are spread evenly over the meetings.
    size = max(WALK_CHUNK, min(WALK_CHUNK_MAX, 2 * need * groups // len(matched)))
    with connection.cursor() as cursor:
        while seen < WALK_MAX_ROWS:
            if last is None:
                where, params = " AND starts_at >= %s", [ops.adapt_datetimefield_value(now)]
            else:
                # After the last row read; the range on its own lets the index find where to go on.
                where, params = " AND starts_at >= %s AND (starts_at > %s OR id > %s)", [last[0], *last]
            cursor.execute(upcoming + where + " ORDER BY starts_at, id LIMIT %s", [False, True, *params, size])
            rows = cursor.fetchall()
            for starts_at, _pk, group_id in rows:
                if boundary is not None and starts_at != boundary:  # rows come in time order: later
                    return found
                if group_id in matched and group_id not in found:
                    found.add(group_id)
                    if len(found) == need:
                        boundary = starts_at
            if len(rows) < size:
                # The meetings ran out: complete if the page was full, else it reaches groups with none planned.
                return found if boundary is not None else None
            seen += len(rows)
            last = rows[-1][:2]
            size = min(size * 2, WALK_CHUNK_MAX)
    return None


def attach_next_meetings(groups: list[Group], count: int = NEXT_MEETINGS) -> None:
    """Set `next_meetings` on each group (cancelled ones included, flagged), in one query: the
    group page's meetings, as model instances (search results use directory.rows instead).

    The query is written out: the ORM takes longer to compile its window-function
    query than the database takes to run it. Each meeting gets its schedule and venue
    from the objects the groups already hold (select_related venue, prefetched
    schedules); only those they lack cost one more query each.
    """
    by_group: dict[int, list[Meeting]] = {group.pk: [] for group in groups}
    if by_group:
        ops = connections[Meeting.objects.db].ops
        params = [*by_group, ops.adapt_datetimefield_value(timezone.now()), True, count]
        meetings = list(Meeting.objects.raw(_next_meetings_sql(ops, len(by_group)), params))
        _attach_schedules_and_venues(groups, meetings)
        for meeting in meetings:
            by_group[meeting.group_id].append(meeting)
    for group in groups:
        group.next_meetings = by_group[group.pk]


def _next_meetings_sql(ops, groups: int) -> str:
    """The first meetings from now of each group, ranked by start (ties by id)."""
    table = ops.quote_name(Meeting._meta.db_table)
    ids = ", ".join(["%s"] * groups)
    # Only the quoted table name and placeholders are interpolated.
    return (
        "SELECT * FROM ("  # noqa: S608
        " SELECT meeting.*,"
        " ROW_NUMBER() OVER (PARTITION BY meeting.group_id ORDER BY meeting.starts_at, meeting.id) AS rank"
        f" FROM {table} AS meeting"
        f" WHERE meeting.group_id IN ({ids}) AND meeting.starts_at >= %s AND meeting.is_scheduled = %s"
        ") AS ranked WHERE rank <= %s ORDER BY group_id, starts_at, id"
    )


def _attach_schedules_and_venues(groups: list[Group], meetings: list[Meeting]) -> None:
    schedules: dict[int, Schedule] = {}
    venues: dict[int, Venue] = {}
    for group in groups:
        if Group.venue.is_cached(group) and group.venue is not None:
            venues[group.venue.pk] = group.venue
        # Schedules prefetched with the group (prefetch_related("schedules")).
        for schedule in getattr(group, "_prefetched_objects_cache", {}).get("schedules", ()):
            schedules[schedule.pk] = schedule
    missing = {meeting.schedule_id for meeting in meetings} - schedules.keys()
    if missing:
        schedules.update(Schedule.objects.in_bulk(missing))
    # A meeting moved elsewhere by an exception has a venue of its own.
    missing = {meeting.venue_id for meeting in meetings if meeting.venue_id is not None} - venues.keys()
    if missing:
        venues.update(Venue.objects.in_bulk(missing))
    for meeting in meetings:
        meeting.schedule = schedules[meeting.schedule_id]
        meeting.venue = venues[meeting.venue_id] if meeting.venue_id is not None else None
