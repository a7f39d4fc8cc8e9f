from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from network.agreements import agreements_of
from network.models import STARTING_STATUSES, Group, Meeting, Theme

SLUG_MARK = "slug-placeholder"


def _links(request: HttpRequest) -> dict[str, str]:
    """Absolute URL templates, reversed once per request rather than twice per group."""
    if not hasattr(request, "_cerchio_links"):
        request._cerchio_links = {
            "page": request.build_absolute_uri(reverse("directory:group", kwargs={"slug": SLUG_MARK})),
            "calendar": request.build_absolute_uri(reverse("calendar", kwargs={"slug": SLUG_MARK})),
        }
    return request._cerchio_links


def theme_json(theme: Theme) -> dict:
    return {"slug": theme.slug, "name": theme.name, "name_it": theme.name_it, "name_en": theme.name_en or theme.name_it}


def meeting_json(meeting: Meeting) -> dict:
    """Times in the schedule's own zone, with the offset (ISO 8601)."""
    zone = ZoneInfo(meeting.schedule.timezone)
    return {
        "start": meeting.starts_at.astimezone(zone).isoformat(),
        "end": meeting.ends_at.astimezone(zone).isoformat(),
        "cancelled": meeting.is_cancelled,
        "changed": meeting.is_changed,
        "note": meeting.note,
        "comune": meeting.venue.comune if meeting.venue else None,
    }


def _first_meeting(group: Group) -> str | None:
    """The first meeting of a group being started (ISO 8601, local time), else None."""
    if group.status not in STARTING_STATUSES:
        return None
    first = agreements_of(group).first_meeting_at
    return timezone.localtime(first).isoformat() if first else None


def group_json(group: Group, request: HttpRequest, *, detail: bool = False) -> dict:
    venue = group.venue
    data = {
        "slug": group.slug,
        "name": group.name_local,
        "name_it": group.name,
        "name_en": group.name_en or None,
        "themes": [theme_json(theme) for theme in group.themes_in_order],
        "format": group.format,
        "audience": group.audience,
        "entry": group.entry,
        "accepting_newcomers": group.accepting_newcomers,
        "status": group.status,
        # A group being started: its first meeting is on its page and in the detail.
        "starting_soon": group.status in STARTING_STATUSES,
        "comune": venue.comune if venue else None,
        "url": _links(request)["page"].replace(SLUG_MARK, group.slug),
        "calendar_url": _links(request)["calendar"].replace(SLUG_MARK, group.slug),
        "distance_km": round(group.distance_km, 2) if getattr(group, "distance_km", None) is not None else None,
        "next_meetings": [meeting_json(meeting) for meeting in group.next_meetings],
    }
    if detail:
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
