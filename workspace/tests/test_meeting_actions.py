"""A facilitator cancels, moves or relocates one meeting, or pauses the group; the public side follows at once."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from network.models import Meeting, ScheduleException
from network.services import group_sync_meetings
from network.tests.factories import VenueFactory
from workspace.tests.conftest import NOW, TODAY, on

pytestmark = pytest.mark.django_db


def ics(client, group) -> Calendar:
    response = client.get(f"/groups/{group.slug}/calendar.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def exdates(calendar: Calendar) -> set:
    found = set()
    for event in calendar.walk("VEVENT"):
        values = event.get("exdate") or []
        for value in values if isinstance(values, list) else [values]:
            found |= {item.dt for item in value.dts}
    return found


def overrides(calendar: Calendar) -> dict:
    return {
        event["recurrence-id"].dt: event["dtstart"].dt for event in calendar.walk("VEVENT") if "recurrence-id" in event
    }


def api_meetings(client, group) -> list[dict]:
    response = client.get(f"/api/v1/groups/{group.slug}")
    assert response.status_code == 200
    return response.json()["next_meetings"]


def public_page(client, group) -> str:
    response = client.get(f"/it/groups/{group.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def public_item(page: str, shown: str) -> str:
    """The public page's list item for the meeting shown as `shown` (e.g. "martedì 27 luglio 2027, 20:30").

    The page writes the day in the <time> element, then the start and the end ("dalle 20:30 alle 22:30").
    """
    day, start = shown.rsplit(", ", 1)
    pattern = r"<li><time[^>]*>" + re.escape(day) + r"</time>, dalle " + re.escape(start) + r" alle .*?</li>"
    match = re.search(pattern, page, re.S)
    assert match, f"{shown!r} is not on the public page"
    return match.group(0)


# --- The workspace home ---------------------------------------------------------


def test_home_lists_the_next_meetings_of_ones_own_groups_with_their_three_actions(fac_client, meetings_a, meetings_b):
    body = fac_client.get("/it/workspace/").content.decode()
    first = meetings_a[0]
    assert "martedì 27 luglio, 20:30" in body
    for action in ("cancel", "move", "venue"):
        assert f"/it/workspace/meetings/{first.pk}/{action}/" in body
    assert ">Annulla</a>" in body and ">Sposta</a>" in body and ">Altra sede</a>" in body
    # Group B meets on Thursdays at 18:00: none of its meetings is on A's facilitator's home.
    assert "giovedì" not in body
    assert not any(f"/meetings/{meeting.pk}/" in body for meeting in meetings_b)


# --- Cancel -------------------------------------------------------------------


def test_cancelling_a_meeting_shows_it_cancelled_on_the_public_page_the_api_and_the_calendar(
    fac_client, group_a, meetings_a
):
    meeting = meetings_a[1]  # Tuesday 3 August
    url = f"/it/workspace/meetings/{meeting.pk}/cancel/"
    page = fac_client.get(url)
    assert page.status_code == 200
    assert "martedì 3 agosto" in page.content.decode()

    response = fac_client.post(url, {"note": "La sala è chiusa"}, follow=True)
    assert response.redirect_chain[-1][0] == "/it/workspace/"
    assert "Incontro di martedì 3 agosto, 20:30 annullato." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_cancelled

    item = public_item(public_page(fac_client, group_a), "martedì 3 agosto 2027, 20:30")
    assert "annullato" in item and "La sala è chiusa" in item
    shown = {m["start"][:16]: m for m in api_meetings(fac_client, group_a)}
    assert shown["2027-08-03T20:30"]["cancelled"] is True
    assert shown["2027-08-03T20:30"]["note"] == "La sala è chiusa"
    assert shown["2027-07-27T20:30"]["cancelled"] is False
    assert on(date(2027, 8, 3)) in exdates(ics(fac_client, group_a))
    assert on(date(2027, 7, 27)) not in exdates(ics(fac_client, group_a))


def test_cancelling_twice_does_not_fail_or_cancel_twice(fac_client, group_a, meetings_a):
    meeting = meetings_a[0]
    url = f"/it/workspace/meetings/{meeting.pk}/cancel/"
    assert fac_client.post(url, {"note": ""}).status_code == 302
    again = fac_client.post(url, {"note": "di nuovo"}, follow=True)
    assert again.status_code == 200
    assert "già annullato" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.note == ""
    assert group_a.activities.filter(action="meeting.cancel").count() == 1


def test_cancelling_from_the_group_page_goes_back_to_the_group_page(fac_client, group_a, meetings_a):
    group_page = fac_client.get(f"/it/workspace/groups/{group_a.slug}/").content.decode()
    link = f"/it/workspace/meetings/{meetings_a[0].pk}/cancel/?next=group"
    assert link in group_page
    form = fac_client.get(link).content.decode()
    assert 'name="next" value="group"' in form
    response = fac_client.post(link, {"next": "group"})
    assert response["Location"] == f"/it/workspace/groups/{group_a.slug}/"


def test_a_cancelled_meeting_can_be_restored(fac_client, group_a, meetings_a):
    meeting = meetings_a[0]
    fac_client.post(f"/it/workspace/meetings/{meeting.pk}/cancel/", {"note": ""})
    assert f"/it/workspace/meetings/{meeting.pk}/restore/" in fac_client.get("/it/workspace/").content.decode()
    fac_client.post(f"/it/workspace/meetings/{meeting.pk}/restore/")
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    assert on(date(2027, 7, 27)) not in exdates(ics(fac_client, group_a))


# --- Move ---------------------------------------------------------------------


def test_moving_a_meeting_shows_the_new_time_publicly_and_overrides_it_in_the_calendar(fac_client, group_a, meetings_a):
    meeting = meetings_a[2]  # Tuesday 10 August
    url = f"/it/workspace/meetings/{meeting.pk}/move/"
    form = fac_client.get(url).content.decode()
    assert 'value="2027-08-10"' in form and 'value="20:30"' in form
    response = fac_client.post(url, {"new_date": "2027-08-11", "new_time": "18:00", "note": "Di mercoledì"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == on(date(2027, 8, 11), 18, 0)

    item = public_item(public_page(fac_client, group_a), "mercoledì 11 agosto 2027, 18:00")
    assert "Di mercoledì" in item and "al posto di martedì 10 agosto" in item
    assert "martedì 10 agosto 2027" not in public_page(fac_client, group_a)
    assert any(m["start"].startswith("2027-08-11T18:00") for m in api_meetings(fac_client, group_a))
    assert overrides(ics(fac_client, group_a)) == {on(date(2027, 8, 10)): on(date(2027, 8, 11), 18, 0)}


@pytest.mark.parametrize(
    ("new_date", "new_time", "reason"),
    [
        ("2027-07-20", "20:30", "Scegli una data e un'ora future."),
        ("2027-07-26", "08:00", "Scegli una data e un'ora future."),
        ("2027-08-03", "18:00", "In quella data il gruppo ha già un altro incontro."),
    ],
    ids=["a past day", "earlier today", "the day of the next meeting"],
)
def test_moving_into_the_past_or_onto_another_meeting_is_refused_on_the_form(
    fac_client, meetings_a, new_date, new_time, reason
):
    meeting = meetings_a[0]
    response = fac_client.post(
        f"/it/workspace/meetings/{meeting.pk}/move/", {"new_date": new_date, "new_time": new_time, "note": "Prova"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert reason.replace("'", "&#x27;") in body
    assert f'value="{new_date}"' in body and f'value="{new_time}"' in body and 'value="Prova"' in body
    meeting.refresh_from_db()
    assert meeting.starts_at == on(date(2027, 7, 27)) and not meeting.is_changed


# --- Another venue ------------------------------------------------------------


def test_another_venue_offers_only_the_associations_venues_and_shows_publicly(
    fac_client, group_a, meetings_a, association_x, association_y
):
    hall = VenueFactory(association=association_x, name="Sala Rossa", comune="Rovereto")
    elsewhere = VenueFactory(association=association_y, name="Sede di Y", comune="Bolzano")
    meeting = meetings_a[0]
    url = f"/it/workspace/meetings/{meeting.pk}/venue/"
    form = fac_client.get(url).content.decode()
    assert "Sala Rossa" in form and "Sede di Y" not in form
    assert re.search(rf'<option value="{group_a.venue_id}" selected>', form)

    # A hand-made POST with another association's venue is refused, not saved.
    refused = fac_client.post(url, {"venue": elsewhere.pk})
    assert refused.status_code == 200
    meeting.refresh_from_db()
    assert meeting.venue_id == group_a.venue_id

    assert fac_client.post(url, {"venue": hall.pk, "note": ""}).status_code == 302
    item = public_item(public_page(fac_client, group_a), "martedì 27 luglio 2027, 20:30")
    assert "Questa volta a: Sala Rossa, Rovereto" in item
    assert api_meetings(fac_client, group_a)[0]["comune"] == "Rovereto"


def test_a_meetings_venue_from_elsewhere_stays_selected_and_can_be_kept(fac_client, group_a, meetings_a, association_y):
    """The old admin offered only the association's venues and silently lost this one on save."""
    elsewhere = VenueFactory(association=association_y, name="Sede di Y", comune="Bolzano")
    meeting = meetings_a[0]
    ScheduleException.objects.create(
        schedule=meeting.schedule,
        original_date=meeting.original_date,
        kind=ScheduleException.Kind.CHANGED,
        new_venue=elsewhere,
    )
    group_sync_meetings(group=group_a, today=TODAY)
    url = f"/it/workspace/meetings/{meeting.pk}/venue/"
    form = fac_client.get(url).content.decode()
    assert re.search(rf'<option value="{elsewhere.pk}" selected>', form)

    kept = fac_client.post(url, {"venue": elsewhere.pk, "note": "Come sempre d'estate"})
    assert kept.status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue_id == elsewhere.pk
    assert meeting.note == "Come sempre d'estate"


# --- Pause --------------------------------------------------------------------


def test_pausing_august_cancels_its_meetings_with_the_note_everywhere(fac_client, group_a, meetings_a):
    url = f"/it/workspace/groups/{group_a.slug}/pause/"
    assert fac_client.get(url).status_code == 200
    response = fac_client.post(
        url, {"starts_on": "2027-08-01", "ends_on": "2027-08-31", "note": "Pausa estiva"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/it/workspace/groups/{group_a.slug}/"
    assert "Pausa salvata" in response.content.decode()

    august = Meeting.objects.filter(group=group_a, original_start__month=8, original_start__year=2027)
    assert august.count() == 5
    assert all(m.is_cancelled and m.note == "Pausa estiva" for m in august)
    assert not Meeting.objects.get(group=group_a, original_date=date(2027, 7, 27)).is_cancelled

    page = public_page(fac_client, group_a)
    for day in (3, 10, 17, 24, 31):
        item = public_item(page, f"martedì {day} agosto 2027, 20:30")
        assert "annullato" in item and "Pausa estiva" in item
    assert [m["cancelled"] for m in api_meetings(fac_client, group_a)] == [False] + [True] * 5
    assert {on(date(2027, 8, day)) for day in (3, 10, 17, 24, 31)} <= exdates(ics(fac_client, group_a))


def test_a_pause_beyond_the_generated_meetings_is_still_excluded_from_the_calendar(fac_client, group_a, meetings_a):
    """Meeting rows exist only for the next months; a calendar app follows the rule for ever."""
    last = Meeting.objects.filter(group=group_a).latest("original_start").original_date
    start = last + timedelta(days=60)
    response = fac_client.post(
        f"/it/workspace/groups/{group_a.slug}/pause/",
        {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=13)).isoformat(), "note": ""},
    )
    assert response.status_code == 302
    excluded = {moment for moment in exdates(ics(fac_client, group_a)) if moment.date() >= start}
    assert len(excluded) == 2
    assert all(moment.weekday() == 1 and (moment.hour, moment.minute) == (20, 30) for moment in excluded)


def test_a_pause_that_ends_before_it_starts_is_refused_with_a_reason(fac_client, group_a, meetings_a):
    response = fac_client.post(
        f"/it/workspace/groups/{group_a.slug}/pause/",
        {"starts_on": "2027-08-31", "ends_on": "2027-08-01", "note": "Al contrario"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "La pausa deve finire dopo l&#x27;inizio." in body
    assert 'value="2027-08-31"' in body and 'value="Al contrario"' in body
    assert not group_a.pauses.exists()
    assert not Meeting.objects.filter(group=group_a, is_cancelled=True).exists()


# --- Scope ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["", "cancel/", "move/", "venue/", "restore/"])
def test_another_groups_meeting_does_not_exist_for_a_facilitator(fac_client, meetings_a, meetings_b, action):
    meeting = meetings_b[0]
    url = f"/it/workspace/meetings/{meeting.pk}/{action}"
    assert fac_client.get(url).status_code == 404
    if action:
        data = {"note": "x", "new_date": "2027-08-20", "new_time": "18:00", "venue": meeting.venue_id}
        assert fac_client.post(url, data).status_code == 404
    meeting.refresh_from_db()
    assert not meeting.is_cancelled and not meeting.is_changed


# --- Hostile input ------------------------------------------------------------

HOSTILE = st.one_of(
    st.sampled_from(
        ["", "2027-02-30", "2027-13-01", "0000-00-00", "9999-12-31", "25:61", "-1", "1e309", "\x00", "<b>x</b>"]
    ),
    st.text(max_size=300),
    st.dates().map(date.isoformat),
    st.times().map(lambda t: t.strftime("%H:%M")),
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(new_date=HOSTILE, new_time=HOSTILE, note=HOSTILE)
def test_hostile_input_on_the_move_form_never_fails(fac_client, meetings_a, new_date, new_time, note):
    meeting = meetings_a[3]
    response = fac_client.post(
        f"/it/workspace/meetings/{meeting.pk}/move/", {"new_date": new_date, "new_time": new_time, "note": note}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        meeting.refresh_from_db()
        assert meeting.starts_at > NOW


@FUZZ
@given(starts_on=HOSTILE, ends_on=HOSTILE, note=HOSTILE)
def test_hostile_input_on_the_pause_form_never_fails(fac_client, group_a, meetings_a, starts_on, ends_on, note):
    response = fac_client.post(
        f"/it/workspace/groups/{group_a.slug}/pause/", {"starts_on": starts_on, "ends_on": ends_on, "note": note}
    )
    assert response.status_code in (200, 302)


def test_a_meeting_in_a_pause_points_to_the_pause_and_cannot_be_restored_alone(fac_client, group_a, meetings_a):
    """Restoring it used to say "the meeting is held" while the pause kept it cancelled."""
    fac_client.post(
        f"/it/workspace/groups/{group_a.slug}/pause/", {"starts_on": "2027-08-01", "ends_on": "2027-08-31", "note": ""}
    )
    paused = meetings_a[1]  # 3 August
    group_page = fac_client.get(f"/it/workspace/groups/{group_a.slug}/").content.decode()
    assert f"/it/workspace/meetings/{paused.pk}/restore/" not in group_page
    assert "Vedi la pausa" in group_page
    response = fac_client.post(f"/it/workspace/meetings/{paused.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert "Questo incontro è in una pausa del gruppo" in response.content.decode()
    assert "si tiene" not in response.content.decode()
    paused.refresh_from_db()
    assert paused.is_cancelled
