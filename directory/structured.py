"""schema.org JSON-LD for a group page, so that search engines can show its next meetings.

The group is an EventSeries; each upcoming meeting is an Event of it. The online link
never appears: an online meeting's location is the group's own public page.
"""

import json
from zoneinfo import ZoneInfo

from network.models import Format, Group, Meeting

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
_ATTENDANCE = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _place(venue) -> dict:
    return {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.comune,
            "addressRegion": venue.province,
            "addressCountry": "IT",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": venue.latitude, "longitude": venue.longitude},
    }


def _locations(group: Group, venue, page_url: str) -> list[dict] | dict:
    virtual = {"@type": "VirtualLocation", "url": page_url}  # the page, never the meeting link
    if group.format == Format.ONLINE or venue is None:
        return virtual
    if group.format == Format.HYBRID:
        return [_place(venue), virtual]
    return _place(venue)


def _event(group: Group, meeting: Meeting, page_url: str, organizer: dict) -> dict:
    zone = ZoneInfo(meeting.schedule.timezone)
    event = {
        "@type": "Event",
        "name": group.name_local,
        "startDate": meeting.starts_at.astimezone(zone).isoformat(),
        "endDate": meeting.ends_at.astimezone(zone).isoformat(),
        "eventAttendanceMode": _ATTENDANCE[group.format],
        "eventStatus": "https://schema.org/EventScheduled",
        "location": _locations(group, meeting.venue or group.venue, page_url),
        "organizer": organizer,
        "isAccessibleForFree": True,
        "url": page_url,
        "description": group.description_local,
    }
    if meeting.is_cancelled:
        event["eventStatus"] = "https://schema.org/EventCancelled"
    elif meeting.is_moved:
        event["eventStatus"] = "https://schema.org/EventRescheduled"
        event["previousStartDate"] = meeting.original_start.astimezone(zone).isoformat()
    return event


def group_json_ld(group: Group, *, page_url: str, meetings: list[Meeting]) -> str:
    """The JSON-LD document, escaped for a <script type="application/ld+json"> element."""
    association = group.association
    organizer = {"@type": "Organization", "name": association.name}
    if association.website:
        organizer["url"] = association.website
    if association.public_phone:
        organizer["telephone"] = association.public_phone
    if association.public_email:
        organizer["email"] = association.public_email
    events = [_event(group, meeting, page_url, organizer) for meeting in meetings]
    series = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "name": group.name_local,
        "description": group.description_local,
        "url": page_url,
        "inLanguage": group.language,
        "isAccessibleForFree": True,
        "eventAttendanceMode": _ATTENDANCE[group.format],
        "location": _locations(group, group.venue, page_url),
        "organizer": organizer,
        "about": [theme.name for theme in group.themes.all()],
    }
    if events:
        series["startDate"] = events[0]["startDate"]
        series["subEvent"] = events
    return json.dumps(series, ensure_ascii=False).translate(_ESCAPES)
