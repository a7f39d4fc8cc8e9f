"""The public "starting soon" page of a group being started, and its first meeting's calendar file."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from directory.calendar import one_event_calendar
from founding.documents import document_context
from network.agreements import agreements_of
from network.models import STARTING_STATUSES, Group, GroupStatus


def _public_group(slug: str) -> Group:
    return get_object_or_404(
        Group.objects.public().select_related("venue", "association").prefetch_related("themes"), slug=slug
    )


@require_safe
def starting_soon(request: HttpRequest, slug: str) -> HttpResponse:
    group = _public_group(slug)
    if group.status == GroupStatus.ACTIVE:
        return redirect(group)  # the shared link keeps working once the group meets
    language = (get_language() or "it")[:2]
    context = document_context(group=group, language=language)
    return render(request, "founding/starting_soon.html", {"group": group, "doc": context})


@require_safe
def first_meeting_ics(request: HttpRequest, slug: str) -> HttpResponse:
    group = _public_group(slug)
    agreements = agreements_of(group)
    if group.status not in STARTING_STATUSES or agreements.first_meeting_at is None:
        raise Http404
    schedule = group.schedules.current().order_by("starts_on").first()
    minutes = schedule.duration_minutes if schedule else 120
    zone = ZoneInfo(settings.CERCHIO_DEFAULT_TIMEZONE)
    starts = agreements.first_meeting_at.astimezone(zone)
    body = one_event_calendar(
        uid=f"first-meeting-{group.pk}",
        summary=group.name,
        starts=starts,
        ends=starts + timedelta(minutes=minutes),
        venue=agreements.first_meeting_place,
        url=request.build_absolute_uri(group.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-primo-incontro.ics"'
    return response
