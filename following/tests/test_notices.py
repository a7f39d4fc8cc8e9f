"""Change notices: several changes make one notice, an undone change sends nothing, and the
change reaches the page, the API and the calendar feed as well as the followers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from following.models import MeetingAnnouncement
from following.notices import announce_changes
from following.tests.conftest import add_follower, send_all
from network.models import Venue
from network.services import group_pause, meeting_cancel, meeting_change_venue, meeting_move, meeting_restore
from notifications.models import OutboxMessage


@pytest.fixture
def quiet(settings):
    settings.CERCHIO_FOLLOWING_QUIET_SECONDS = 300
    return timedelta(seconds=300)


def _next(group):
    return group.meetings.filter(starts_at__gt=timezone.now() + timedelta(days=2)).order_by("starts_at").first()


def test_several_changes_in_a_few_minutes_make_one_notice_per_follower(group, outbox_mail, quiet):
    add_follower(group, "uno@example.org")
    add_follower(group, "two@example.org", language="en")
    announce_changes()  # the followers' starting point
    meeting = _next(group)
    other = Venue.objects.create(
        association=group.association,
        name="Sala nuova",
        address="Via Verdi 2",
        comune="Trento",
        province="TN",
        latitude=46.0,
        longitude=11.1,
    )
    new_day = meeting.starts_at.date() + timedelta(days=1)
    meeting = meeting_move(meeting=meeting, new_date=new_day, new_time=meeting.starts_at.astimezone().time(), by=None)
    meeting = meeting_change_venue(meeting=meeting, venue=other, by=None)
    assert announce_changes()["waiting"] == 1  # still being edited: nothing yet
    assert OutboxMessage.objects.filter(kind="change_notice").count() == 0
    later = timezone.now() + quiet + timedelta(seconds=1)
    assert announce_changes(now=later)["notices"] == 2
    assert announce_changes(now=later)["notices"] == 0
    assert send_all() == 2
    italian = next(m for m in outbox_mail if m.to == ["uno@example.org"])
    english = next(m for m in outbox_mail if m.to == ["two@example.org"])
    assert italian.subject.startswith("Cerchio: cambia l'incontro di ")
    assert "è spostato a" in italian.body.splitlines()[0] and "Sala nuova" in italian.body
    assert english.subject.startswith("Cerchio: a change to the meeting on ")
    for message in (italian, english):
        assert group.name not in message.subject and group.name not in message.body.splitlines()[0]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        ics = message.attachments[0][1]
        ics = ics.decode() if isinstance(ics, bytes) else ics
        assert "SEQUENCE:1" in ics and f"DTSTART;TZID=Europe/Rome:{new_day:%Y%m%d}" in ics
    assert MeetingAnnouncement.objects.get(meeting=meeting).version == 1


def test_a_change_undone_before_sending_sends_nothing(group, outbox_mail, quiet):
    add_follower(group)
    announce_changes()
    meeting = _next(group)
    meeting_cancel(meeting=meeting, by=None)
    meeting_restore(meeting=meeting, by=None)
    result = announce_changes(now=timezone.now() + quiet * 2)
    assert result["undone"] == 1 and result["notices"] == 0
    send_all()
    assert outbox_mail == []


def test_a_cancellation_reaches_the_page_the_api_the_calendar_feed_and_the_followers(group, client, outbox_mail, quiet):
    add_follower(group)
    announce_changes()
    meeting = _next(group)
    meeting_cancel(meeting=meeting, note="Sala chiusa", by=None)
    page = client.get(f"/it/groups/{group.slug}/").content.decode()
    assert "annullat" in page.lower()
    api = client.get(f"/api/v1/groups/{group.slug}").json()
    assert [m["cancelled"] for m in api["next_meetings"]].count(True) == 1
    feed = client.get(f"/groups/{group.slug}/calendar.ics").content.decode()
    assert f"EXDATE;TZID=Europe/Rome:{meeting.original_start.astimezone():%Y%m%dT%H%M}00" in feed
    announce_changes(now=timezone.now() + quiet * 2)
    send_all()
    (notice,) = outbox_mail
    assert "non si tiene" in notice.subject and "Sala chiusa" in notice.body
    ics = notice.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics


def test_a_pause_tells_followers_of_each_meeting_it_cancels(group, outbox_mail, quiet):
    add_follower(group)
    announce_changes()
    upcoming = group.meetings.filter(starts_at__gt=timezone.now() + timedelta(days=2)).order_by("starts_at")
    first, second = list(upcoming[:2])
    group_pause(
        group=group,
        starts_on=first.starts_at.astimezone().date(),
        ends_on=second.starts_at.astimezone().date(),
        by=None,
    )
    assert announce_changes(now=timezone.now() + quiet * 2)["notices"] == 2
    send_all()
    assert len(outbox_mail) == 2 and all("non si tiene" in m.subject for m in outbox_mail)


def test_an_older_notice_still_waiting_is_replaced_by_the_newer_one(group, outbox_mail, quiet):
    add_follower(group)
    announce_changes()
    meeting = _next(group)
    meeting_cancel(meeting=meeting, by=None)
    announce_changes(now=timezone.now() + quiet * 2)
    meeting_restore(meeting=meeting, by=None)
    announce_changes(now=timezone.now() + quiet * 4)
    send_all()
    assert sorted(OutboxMessage.objects.values_list("status", flat=True)) == ["cancelled", "sent"]
    (sent,) = outbox_mail
    assert "non si tiene" not in sent.subject


def test_a_new_rhythm_keeps_announced_meetings_as_not_scheduled_and_tells_their_followers(group, outbox_mail, quiet):
    from network.services import schedule_end

    add_follower(group)
    announce_changes()
    announced = set(MeetingAnnouncement.objects.values_list("meeting_id", flat=True))
    schedule = group.schedules.get()
    far = group.meetings.filter(starts_at__gt=timezone.now()).exclude(pk__in=announced).values_list("pk", flat=True)
    beyond = set(far)
    assert announced and beyond  # some meetings lie beyond the notice horizon, with nothing hanging on them
    schedule_end(schedule=schedule, ends_on=timezone.localdate(), by=None)
    kept = group.meetings.filter(pk__in=announced)
    assert kept.count() == len(announced) and not kept.filter(is_scheduled=True, starts_at__gt=timezone.now()).exists()
    assert not group.meetings.filter(pk__in=beyond).exists()  # deleted, as before
    result = announce_changes(now=timezone.now() + quiet * 2)
    assert result["notices"] == len([m for m in kept if m.starts_at > timezone.now()])
    send_all()
    assert outbox_mail and all("non si tiene" in message.subject for message in outbox_mail)
