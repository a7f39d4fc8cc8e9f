from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from directory.rows import GroupRow, MeetingRow, ThemeRow, group_row
from directory.search import SearchResults
from network.agreements import agreements_of
from network.models import STARTING_STATUSES, Group, Theme

SLUG_MARK = "slug-placeholder"


def _links(request: HttpRequest) -> dict[str, str]:
    """Absolute URL templates, reversed once per request rather than twice per group."""
    if not hasattr(request, "_cerchio_links"):
        request._cerchio_links = {
            "page": request.build_absolute_uri(reverse("directory:group", kwargs={"slug": SLUG_MARK})),
            "calendar": request.build_absolute_uri(reverse("calendar", kwargs={"slug": SLUG_MARK})),
        }
    return request._cerchio_links


def _english() -> bool:
    return (get_language() or "it").startswith("en")


def theme_json(theme: Theme | ThemeRow, english: bool | None = None) -> dict:
    """A theme, from the model or from a row; `english` once per page rather than once per theme."""
    english = _english() if english is None else english
    return {
        "slug": theme.slug,
        "name": theme.name_en if english and theme.name_en else theme.name_it,
        "name_it": theme.name_it,
        "name_en": theme.name_en or theme.name_it,
    }


def meeting_json(meeting: MeetingRow) -> dict:
    """Times in the schedule's own zone, with the offset (ISO 8601)."""
    zone = ZoneInfo(meeting.timezone)
    return {
        "start": meeting.starts_at.astimezone(zone).isoformat(),
        "end": meeting.ends_at.astimezone(zone).isoformat(),
        "cancelled": meeting.is_cancelled,
        "changed": meeting.is_changed,
        "note": meeting.note,
        "comune": meeting.comune,
    }


def _first_meeting(group: Group) -> str | None:
    """The first meeting of a group being started (ISO 8601, local time), else None."""
    if group.status not in STARTING_STATUSES:
        return None
    first = agreements_of(group).first_meeting_at
    return timezone.localtime(first).isoformat() if first else None


def group_json(group: GroupRow, request: HttpRequest, english: bool | None = None) -> dict:
    """A group as search results show it."""
    english = _english() if english is None else english
    links = _links(request)
    return {
        "slug": group.slug,
        "name": group.name_en if english and group.name_en else group.name,
        "name_it": group.name,
        "name_en": group.name_en or None,
        "themes": [theme_json(theme, english) for theme in group.themes],
        "format": group.format,
        "audience": group.audience,
        "entry": group.entry,
        "accepting_newcomers": group.accepting_newcomers,
        "status": group.status,
        # A group being started: its first meeting is on its page and in the detail.
        "starting_soon": group.starting_soon,
        "comune": group.comune,
        "url": links["page"].replace(SLUG_MARK, group.slug),
        "calendar_url": links["calendar"].replace(SLUG_MARK, group.slug),
        "distance_km": round(group.distance_km, 2) if group.distance_km is not None else None,
        "next_meetings": [meeting_json(meeting) for meeting in group.next_meetings],
    }


def search_page_json(results: SearchResults, request: HttpRequest) -> dict:
    """One page of search results (SearchResults of GroupRow)."""
    english = _english()
    origin = results.origin
    return {
        "count": results.total,
        "page": results.page,
        "page_size": results.page_size,
        "pages": results.pages,
        "place": {
            "name": str(origin.name),
            "latitude": origin.latitude,
            "longitude": origin.longitude,
            "radius_km": results.radius_km,
        }
        if origin
        else None,
        "results": [group_json(group, request, english) for group in results.groups],
    }


def group_detail_json(group: Group, request: HttpRequest) -> dict:
    """A group as its own endpoint shows it: what search results show, and more."""
    data = group_json(group_row(group), request)
    venue = group.venue
    data.update(
        {
            "description": group.description_local,
            "description_it": group.description,
            "description_en": group.description_en or None,
            # The language of `description` (English only where the association wrote it).
            "description_language": group.text_language,
            "facilitator_kind": group.facilitator_kind,
            "language": group.language,
            "accessibility_notes": group.accessibility_notes_local,
            "max_size": group.max_size,
            "first_meeting": _first_meeting(group),
            "schedules": [schedule.describe() for schedule in group.schedules.all()],
            "venue": {
                "name": venue.name,
                "address": venue.address,
                "comune": venue.comune,
                "province": venue.province,
                "latitude": venue.latitude,
                "longitude": venue.longitude,
                "step_free": venue.step_free,
                "transport_notes": venue.transport_notes,
            }
            if venue
            else None,
            "association": {
                "name": group.association.name,
                "email": group.association.public_email or None,
                "phone": group.association.public_phone or None,
                "website": group.association.website or None,
            },
        }
    )
    return data
