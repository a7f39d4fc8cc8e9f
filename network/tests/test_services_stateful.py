"""Random sequences of services keep the meeting rows and the search columns right.

After every step: each group's search columns equal a fresh computation; every meeting
that still exists kept its id; no two meetings share (schedule, original date); the
past is untouched. A refused action changes nothing.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django.test
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from network import fulltext, services
from network.models import Group, Meeting, Pause, Schedule, ScheduleException, Theme, Venue
from network.services import STATUS_TRANSITIONS, Refused, search_fields_for
from network.tests.factories import AssociationFactory

ROME = ZoneInfo("Europe/Rome")
START = datetime(2026, 2, 2, 9, 0, tzinfo=ROME)
RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    "FREQ=MONTHLY;BYDAY=2TU,4TU",
    "FREQ=MONTHLY;BYDAY=1MO,3MO",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=15",
]
TIMES = [time(9, 30), time(15, 0), time(18, 0), time(20, 30), time(21, 0)]
SEARCH_COLUMNS = ["latitude", "longitude", "meeting_weekdays", "meeting_slots", "search_text"]


def _rows(model, **filters) -> list[dict]:
    return list(model.objects.filter(**filters).order_by("pk").values())


def _database() -> dict:
    return {model.__name__: _rows(model) for model in (Meeting, ScheduleException, Pause, Schedule, Group)}


class ServicesMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.clock = time_machine.travel(START, tick=False)
        self.now = self.clock.start()
        self.meetings_before: dict[tuple[int, date], dict] = {}

    def teardown(self):
        self.clock.stop()
        transaction.savepoint_rollback(self.savepoint)

    # --- Setting up ----------------------------------------------------------------

    @initialize(rules=st.lists(st.sampled_from(RULES), min_size=2, max_size=3), at=st.sampled_from(TIMES))
    def network(self, rules, at):
        association = AssociationFactory()
        self.venues = [
            services.venue_create(
                association=association,
                by=None,
                name=f"Sede {n}",
                address="Via Roma 1",
                comune=comune,
                province="TN",
                latitude=46.0 + n / 10,
                longitude=11.1,
            )
            for n, comune in enumerate(["Trento", "Rovereto"])
        ]
        self.themes = [
            services.theme_create(slug=f"tema-{n}-{association.pk}", name_it=f"Tema {n}", name_en=f"Theme {n}", by=None)
            for n in range(2)
        ]
        self.group_ids = []
        for n, rrule in enumerate(rules):
            group = services.group_create(
                association=association,
                name=f"Gruppo {n}",
                slug=f"gruppo-{association.pk}-{n}",
                description="Un gruppo di auto mutuo aiuto.",
                venue=self.venues[n % 2],
                themes=self.themes[: n % 2 + 1],
                by=None,
            )
            services.schedule_create(
                group=group, rrule=rrule, start_time=at, starts_on=date(2026, 1, 1) - timedelta(days=30 * n), by=None
            )
            self.group_ids.append(group.pk)
        # Some history: three weeks pass with the daily refresh.
        self.now.shift(timedelta(days=21))
        services.meetings_refresh_all()

    # --- Helpers -----------------------------------------------------------------------

    def attempt(self, action):
        """Run a service; a refusal must leave the database as it was."""
        before = _database()
        try:
            action()
        except Refused:
            assert _database() == before, "a refused action changed the database"

    def group(self, data) -> Group:
        return Group.objects.get(pk=data.draw(st.sampled_from(self.group_ids)))

    def future_meeting(self, data) -> Meeting | None:
        candidates = list(
            Meeting.objects.filter(
                group_id__in=self.group_ids, is_scheduled=True, starts_at__gt=timezone.now()
            ).order_by("pk")
        )
        return data.draw(st.sampled_from(candidates)) if candidates else None

    # --- One meeting ---------------------------------------------------------------------

    @rule(data=st.data(), note=st.sampled_from(["", "Sala chiusa"]))
    def cancel(self, data, note):
        meeting = self.future_meeting(data)
        if meeting is not None:
            self.attempt(lambda: services.meeting_cancel(meeting=meeting, note=note, by=None))

    @rule(data=st.data())
    def restore(self, data):
        meeting = self.future_meeting(data)
        if meeting is not None:
            self.attempt(lambda: services.meeting_restore(meeting=meeting, by=None))

    @rule(data=st.data(), days=st.integers(-3, 3), at=st.sampled_from(TIMES))
    def move(self, data, days, at):
        meeting = self.future_meeting(data)
        if meeting is not None:
            new_date = meeting.original_date + timedelta(days=days)
            self.attempt(lambda: services.meeting_move(meeting=meeting, new_date=new_date, new_time=at, by=None))

    @rule(data=st.data(), which=st.sampled_from([None, 0, 1]))
    def change_venue(self, data, which):
        meeting = self.future_meeting(data)
        if meeting is not None:
            venue = None if which is None else self.venues[which]
            self.attempt(lambda: services.meeting_change_venue(meeting=meeting, venue=venue, by=None))

    # --- The group -----------------------------------------------------------------------

    @rule(data=st.data(), start=st.integers(-10, 90), length=st.integers(-2, 30))
    def pause(self, data, start, length):
        group = self.group(data)
        starts_on = timezone.localdate() + timedelta(days=start)
        ends_on = starts_on + timedelta(days=length)
        self.attempt(lambda: services.group_pause(group=group, starts_on=starts_on, ends_on=ends_on, by=None))

    @rule(data=st.data())
    def pause_remove(self, data):
        pauses = list(Pause.objects.filter(group_id__in=self.group_ids).order_by("pk"))
        if pauses:
            pause = data.draw(st.sampled_from(pauses))
            self.attempt(lambda: services.pause_remove(pause=pause, by=None))

    @rule(
        data=st.data(),
        rrule=st.sampled_from(RULES),
        at=st.sampled_from(TIMES),
        duration=st.sampled_from([90, 120]),
    )
    def schedule_change(self, data, rrule, at, duration):
        schedules = list(Schedule.objects.current().filter(group_id__in=self.group_ids).order_by("pk"))
        if schedules:
            schedule = data.draw(st.sampled_from(schedules))
            self.attempt(
                lambda: services.schedule_change(
                    schedule=schedule, rrule=rrule, start_time=at, duration_minutes=duration, by=None
                )
            )

    @rule(data=st.data(), description=st.sampled_from(["Per chi ha perso il lavoro.", "Per i familiari."]))
    def describe(self, data, description):
        group = self.group(data)
        self.attempt(lambda: services.group_update(group=group, description=description, by=None))

    @rule(data=st.data(), which=st.sampled_from([None, 0, 1]))
    def move_group(self, data, which):
        group = self.group(data)
        venue = None if which is None else self.venues[which]
        self.attempt(lambda: services.group_update(group=group, venue=venue, by=None))

    @rule(which=st.sampled_from([0, 1]), latitude=st.floats(45.5, 46.5), longitude=st.floats(10.5, 11.9))
    def move_venue(self, which, latitude, longitude):
        venue = Venue.objects.get(pk=self.venues[which].pk)
        self.attempt(lambda: services.venue_update(venue=venue, latitude=latitude, longitude=longitude, by=None))

    @rule(which=st.sampled_from([0, 1]), name=st.sampled_from(["Lutto", "Gioco d'azzardo", "Ansia"]))
    def rename_theme(self, which, name):
        theme = Theme.objects.get(pk=self.themes[which].pk)
        self.attempt(lambda: services.theme_rename(theme=theme, name_it=name, name_en=name.upper(), by=None))

    @rule(which=st.sampled_from([0, 1]), synonyms=st.sampled_from(["", "perdita, vedovanza", "azzardo; ludopatia"]))
    def set_synonyms(self, which, synonyms):
        theme = Theme.objects.get(pk=self.themes[which].pk)
        self.attempt(lambda: services.theme_set_synonyms(theme=theme, synonyms=synonyms, by=None))

    @rule(data=st.data())
    def set_status(self, data):
        group = self.group(data)
        allowed = sorted(STATUS_TRANSITIONS[group.status])
        if allowed:
            status = data.draw(st.sampled_from(allowed))
            self.attempt(lambda: services.group_set_status(group=group, status=status, by=None))

    @rule(hours=st.integers(1, 15 * 24))
    def time_passes(self, hours):
        # Often to the middle of a meeting day, when today's meeting has already started.
        self.now.shift(timedelta(hours=hours))
        services.meetings_refresh_all()

    # --- Invariants ----------------------------------------------------------------------

    @invariant()
    def rows_and_columns_are_right(self):
        now = timezone.now()
        for group in Group.objects.filter(pk__in=self.group_ids):
            upcoming = list(group.meetings.filter(starts_at__gte=now).select_related("schedule"))
            fresh = search_fields_for(group=group, upcoming=upcoming)
            stored = {name: getattr(group, name) for name in SEARCH_COLUMNS}
            assert stored == fresh, f"stale search columns on {group}"
            # The full-text engine finds the group by every word of its search text.
            words = fulltext.query_words(group.search_text)
            assert group in fulltext.matching(Group.objects.all(), " ".join(words)), f"stale full-text index on {group}"

        meetings = {}
        for row in _rows(Meeting, group_id__in=self.group_ids):
            key = (row["schedule_id"], row["original_date"])
            assert key not in meetings, f"two meetings for {key}"
            meetings[key] = row

        for key, before in self.meetings_before.items():
            after = meetings.get(key)
            if after is not None:
                assert after["id"] == before["id"], f"meeting {key} changed its id"
            if before["starts_at"] <= self.checked_at:
                assert after == before, f"a past meeting {key} was rewritten or deleted"

        self.meetings_before = meetings
        self.checked_at = now


class TestServicesInRandomOrder(django.test.TestCase):
    def test_random_sequences_of_services_keep_meetings_and_search_right(self):
        run_state_machine_as_test(
            ServicesMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
