"""A meeting a newcomer was introduced to is never deleted when the group's rhythm changes."""

from datetime import date, time

from django.utils import timezone

from intake import services
from intake.selectors import newcomers_for_meeting
from network import services as network_services
from network.models import Meeting


def test_a_dropped_occurrence_with_an_introduction_is_kept_unscheduled(submit, group_a):
    schedule = network_services.schedule_create(
        group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), starts_on=date(2026, 1, 1), by=None
    )
    request = submit(first_name="Lucia")
    services.request_contact(request=request, by=None)
    services.request_propose(request=request, group=group_a, by=None)
    introduction = services.request_introduce(request=request, by=None)
    tuesday = introduction.meeting
    others = list(
        Meeting.objects.filter(group=group_a, starts_at__gt=timezone.now())
        .exclude(pk=tuesday.pk)
        .values_list("pk", flat=True)
    )
    network_services.schedule_change(
        schedule=schedule, rrule="FREQ=WEEKLY;BYDAY=TH", start_time=time(20, 30), duration_minutes=120, by=None
    )
    tuesday.refresh_from_db()
    assert tuesday.is_scheduled is False  # kept, no longer on the calendar
    assert not Meeting.objects.filter(pk__in=others).exists()  # the others went
    assert newcomers_for_meeting(meeting=tuesday) == ["Lucia"]
