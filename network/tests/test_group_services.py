"""Groups, themes, venues, statuses, the activity log and invitations through the services."""

from datetime import date, datetime, time, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.services import account_create
from lib.text import fold
from network import services
from network.activity import activity_record
from network.models import (
    Activity,
    AssociationRole,
    GroupMembership,
    GroupRole,
    GroupStatus,
    Invitation,
    Meeting,
    ScheduleException,
)
from network.services import GATED_STARTS, STATUS_TRANSITIONS, Refused
from network.tests.factories import ThemeFactory, VenueFactory, make_group

ROME = ZoneInfo("Europe/Rome")
pytestmark = pytest.mark.django_db


def rome(*args) -> datetime:
    return datetime(*args, tzinfo=ROME)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(rome(2026, 2, 2, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def someone(db):
    return account_create(email="coordinatrice@example.org", password="pw-for-tests")


@pytest.fixture
def group(db):
    return make_group(rule="FREQ=WEEKLY;BYDAY=TU", at=time(20, 30), starts_on=date(2026, 1, 6))


def meeting_on(group, day: date) -> Meeting:
    return Meeting.objects.get(group=group, original_date=day)


# --- Search columns follow at once -------------------------------------------------


def test_renaming_a_theme_makes_its_groups_found_by_the_new_name_at_once(someone):
    theme = ThemeFactory(name_it="Lutto", name_en="Grief")
    group = make_group(themes=[theme])
    assert "lutto" in group.search_text

    services.theme_rename(theme=theme, name_it="Elaborazione del lutto", name_en="Bereavement", by=someone)

    group.refresh_from_db()
    assert fold("Elaborazione del lutto") in group.search_text
    assert "bereavement" in group.search_text
    assert "grief" not in group.search_text


def test_moving_a_venue_moves_its_groups_on_the_map_at_once(group, someone):
    services.venue_update(venue=group.venue, latitude=45.89, longitude=11.04, by=someone)
    group.refresh_from_db()
    assert (group.latitude, group.longitude) == (45.89, 11.04)


def test_a_new_venue_for_the_group_moves_its_meetings_except_those_with_their_own_venue(group, someone):
    special = VenueFactory(association=group.association, name="Sala parrocchiale")
    new_home = VenueFactory(association=group.association, name="Centro civico", comune="Rovereto", latitude=45.89)
    services.meeting_change_venue(meeting=meeting_on(group, date(2026, 2, 17)), venue=special, by=someone)
    ids = set(group.meetings.values_list("pk", flat=True))

    services.group_update(group=group, venue=new_home, by=someone)

    assert set(group.meetings.values_list("pk", flat=True)) == ids
    assert meeting_on(group, date(2026, 2, 17)).venue == special
    assert set(group.meetings.exclude(original_date=date(2026, 2, 17)).values_list("venue", flat=True)) == {new_home.pk}
    group.refresh_from_db()
    assert group.latitude == 45.89 and "rovereto" in group.search_text


def test_editing_the_description_refreshes_the_search_text(group, someone):
    services.group_update(group=group, description="Per chi ha perso il lavoro.", by=someone)
    group.refresh_from_db()
    assert "perso il lavoro" in group.search_text


# --- Lifecycle ----------------------------------------------------------------------


ALL_MOVES = [(old, new) for old, new in product(GroupStatus.values, repeat=2) if old != new]


def _gated(old, new) -> bool:
    """Moves with a gate of their own (tested in founding/tests/test_gates.py)."""
    return new == GroupStatus.FIRST_MEETING_HELD or (new == GroupStatus.ACTIVE and old in GATED_STARTS)


@pytest.mark.parametrize(
    ("old", "new"), [move for move in ALL_MOVES if move[1] in STATUS_TRANSITIONS[move[0]] and not _gated(*move)]
)
def test_an_allowed_status_change_passes_and_is_logged(someone, old, new):
    group = make_group(status=old)
    services.group_set_status(group=group, status=new, by=someone)
    group.refresh_from_db()
    assert group.status == new
    logged = Activity.objects.get(action="group.status", group=group)
    assert logged.payload == {"from": old, "to": new}
    assert logged.actor == someone and logged.association == group.association


@pytest.mark.parametrize(("old", "new"), [move for move in ALL_MOVES if move[1] not in STATUS_TRANSITIONS[move[0]]])
def test_a_forbidden_status_change_is_refused_with_a_reason(someone, old, new):
    group = make_group(status=old)
    with pytest.raises(Refused) as excinfo:
        services.group_set_status(group=group, status=new, by=someone)
    assert "non può passare" in " ".join(excinfo.value.messages)
    group.refresh_from_db()
    assert group.status == old
    assert not Activity.objects.filter(action="group.status").exists()


def test_closing_a_group_ends_its_schedules_and_takes_it_out_of_the_weekday_search(group, someone, clock):
    clock.move_to(rome(2026, 3, 1, 9, 0))
    assert group.meeting_weekdays != 0
    past = set(group.meetings.filter(starts_at__lt=timezone.now()).values_list("pk", flat=True))

    services.group_set_status(group=group, status=GroupStatus.CLOSED, by=someone)

    group.refresh_from_db()
    assert group.schedules.get().ends_on == date(2026, 2, 28)
    assert not group.meetings.filter(starts_at__gte=timezone.now()).exists()
    assert set(group.meetings.values_list("pk", flat=True)) == past, "the meetings held stay"
    assert (group.meeting_weekdays, group.meeting_slots) == (0, 0)


# --- The activity log ---------------------------------------------------------------


def _calls(group, someone):
    theme = ThemeFactory()
    venue = group.venue
    meeting = meeting_on(group, date(2026, 2, 17))
    schedule = group.schedules.get()
    return {
        "group.update": lambda: services.group_update(group=group, description="Nuova descrizione", by=someone),
        "group.status": lambda: services.group_set_status(group=group, status=GroupStatus.SUSPENDED, by=someone),
        "group.pause": lambda: services.group_pause(
            group=group, starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 31), by=someone
        ),
        "schedule.create": lambda: services.schedule_create(
            group=group, rrule="FREQ=MONTHLY;BYDAY=1SA", start_time=time(10, 0), by=someone
        ),
        "schedule.change": lambda: services.schedule_change(
            schedule=schedule, rrule=schedule.rrule, start_time=time(21, 0), duration_minutes=90, by=someone
        ),
        "schedule.end": lambda: services.schedule_end(schedule=schedule, ends_on=date(2026, 6, 30), by=someone),
        "meeting.cancel": lambda: services.meeting_cancel(meeting=meeting, by=someone),
        "meeting.move": lambda: services.meeting_move(
            meeting=meeting, new_date=date(2026, 2, 18), new_time=time(18, 0), by=someone
        ),
        "meeting.venue": lambda: services.meeting_change_venue(
            meeting=meeting, venue=VenueFactory(association=group.association), by=someone
        ),
        "meeting.restore": lambda: services.meeting_restore(meeting=meeting, by=someone),
        "venue.update": lambda: services.venue_update(venue=venue, name="Sala grande", by=someone),
        "theme.rename": lambda: services.theme_rename(theme=theme, name_it="Lutto", name_en="Grief", by=someone),
    }


ACTIONS = [
    "group.update",
    "group.status",
    "group.pause",
    "schedule.create",
    "schedule.change",
    "schedule.end",
    "meeting.cancel",
    "meeting.move",
    "meeting.venue",
    "meeting.restore",
    "venue.update",
    "theme.rename",
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_service_writes_one_activity_row_for_the_right_group_and_association(group, someone, action):
    call = _calls(group, someone)[action]
    before = set(Activity.objects.values_list("pk", flat=True))

    call()

    new = list(Activity.objects.exclude(pk__in=before))
    assert [row.action for row in new] == [action]
    row = new[0]
    assert row.actor == someone
    if action.startswith(("group.", "schedule.", "meeting.")):
        assert (row.group, row.association) == (group, group.association)
    elif action == "venue.update":
        assert (row.group, row.association) == (None, group.association)
    text = str(row.payload).lower()
    assert "@" not in text and "0461" not in text and "via roma" not in text


def test_creating_a_group_and_removing_a_pause_are_logged_once_each(group, someone):
    created = services.group_create(
        association=group.association, name="Gruppo nuovo", slug="gruppo-nuovo", description="…", by=someone
    )
    pause = services.group_pause(group=group, starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 10), by=someone)
    services.pause_remove(pause=pause, by=someone)
    assert Activity.objects.filter(action="group.create", group=created, association=group.association).count() == 1
    assert Activity.objects.filter(action="group.pause_removed", group=group).count() == 1


@pytest.mark.parametrize("key", ["email", "phone", "address", "notes", "message"])
def test_the_activity_log_refuses_contact_details(group, key):
    with pytest.raises(ValueError, match="contact details"):
        activity_record(actor=None, action="group.update", group=group, payload={key: "x"})
    assert not Activity.objects.exists()


# --- The 22 December case, through the admin ----------------------------------------


def test_the_22_december_case_saving_the_group_in_the_admin_keeps_the_meeting_at_its_other_venue(client, site_admin):
    with time_machine.travel(rome(2025, 12, 1, 9, 0), tick=False):
        theme = ThemeFactory()
        group = make_group(rule="FREQ=WEEKLY;BYDAY=MO", at=time(20, 30), starts_on=date(2025, 9, 1), themes=[theme])
        schedule = group.schedules.get()
        parish = VenueFactory(association=group.association, name="Sala parrocchiale")
        moved = services.meeting_change_venue(
            meeting=meeting_on(group, date(2025, 12, 22)), venue=parish, by=site_admin
        )
        exception = ScheduleException.objects.get()
        client.force_login(site_admin)
        data = {
            "name": group.name,
            "slug": group.slug,
            "description": "Descrizione cambiata dall'amministrazione.",
            "audience": group.audience,
            "facilitator_kind": group.facilitator_kind,
            "venue": group.venue_id,
            "online_url": "",
            "language": "it",
            "accessibility_notes": "",
            "entry": group.entry,
            "accepting_newcomers": "on",
            "max_size": 12,
            "start_mode": "",
            "parent": "",
            "status": group.status,
            "themes": [theme.pk],
            "schedules-TOTAL_FORMS": 1,
            "schedules-INITIAL_FORMS": 1,
            "schedules-MIN_NUM_FORMS": 0,
            "schedules-MAX_NUM_FORMS": 1000,
            "schedules-0-id": schedule.pk,
            "schedules-0-group": group.pk,
        }

        response = client.post(f"/it/admin/network/group/{group.pk}/change/", data)

        assert response.status_code == 302, [
            line for line in response.content.decode().splitlines() if "error" in line.lower()
        ]
        group.refresh_from_db()
        assert group.description == "Descrizione cambiata dall'amministrazione."
        again = Meeting.objects.get(pk=moved.pk)
        assert again.venue == parish and not again.is_cancelled
        unchanged = ScheduleException.objects.get(pk=exception.pk)
        assert (unchanged.kind, unchanged.new_venue_id, unchanged.updated_at) == (
            exception.kind,
            exception.new_venue_id,
            exception.updated_at,
        )
        assert Activity.objects.filter(action="group.update", group=group, actor=site_admin).count() == 1


# --- Invitations ------------------------------------------------------------------


def _invitation(of, token="un-token-qualsiasi", **fields):
    values = {
        "association": of.association,
        "group": of,
        "role": GroupRole.FACILITATOR,
        "email": "nuova.facilitatrice@example.org",
        "token_hash": services._token_hash(token),
        "expires_at": timezone.now() + timedelta(days=7),
    }
    return Invitation.objects.create(**(values | fields))


def test_accepting_an_invitation_creates_the_account_and_the_role_and_erases_the_address(group):
    invitation = _invitation(group)
    users_before = get_user_model().objects.count()

    user = services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga", nickname="Gio")

    assert get_user_model().objects.count() == users_before + 1
    assert GroupMembership.objects.filter(user=user, group=group, role=GroupRole.FACILITATOR).exists()
    invitation.refresh_from_db()
    assert invitation.email == ""
    assert invitation.accepted_by == user and invitation.state == "accepted"
    assert user.check_password("una-password-lunga")
    logged = Activity.objects.get(action="invitation.accept")
    assert (logged.group, logged.association, logged.actor) == (group, group.association, user)


def test_an_association_invitation_gives_an_association_role(group):
    _invitation(group, group=None, role=AssociationRole.INTAKE)
    user = services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga")
    assert list(user.association_memberships.values_list("association", "role")) == [
        (group.association_id, AssociationRole.INTAKE)
    ]


def test_the_same_token_accepted_twice_creates_one_role_and_says_why(group):
    _invitation(group)
    services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga")
    users = get_user_model().objects.count()

    with pytest.raises(Refused) as excinfo:
        services.invitation_accept(token="un-token-qualsiasi", password="un'altra-password")

    assert "già stato usato" in " ".join(excinfo.value.messages)
    assert GroupMembership.objects.filter(group=group).count() == 1
    assert get_user_model().objects.count() == users


def test_an_expired_invitation_is_refused(group, clock):
    _invitation(group)
    clock.move_to(rome(2026, 2, 10, 9, 0))
    with pytest.raises(Refused) as excinfo:
        services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga")
    assert "scaduto" in " ".join(excinfo.value.messages)
    assert not GroupMembership.objects.exists()


def test_a_withdrawn_invitation_is_refused_and_its_address_is_gone(group, someone):
    invitation = _invitation(group)
    services.invitation_withdraw(invitation=invitation, by=someone)
    invitation.refresh_from_db()
    assert invitation.email == "" and invitation.state == "withdrawn"
    with pytest.raises(Refused) as excinfo:
        services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga")
    assert "ritirato" in " ".join(excinfo.value.messages)
    assert not GroupMembership.objects.exists()


def test_an_unknown_token_is_refused(group):
    _invitation(group)
    with pytest.raises(Refused) as excinfo:
        services.invitation_accept(token="un-altro-token", password="una-password-lunga")
    assert "non esiste" in " ".join(excinfo.value.messages)


def test_an_accepted_invitation_cannot_be_withdrawn(group, someone):
    invitation = _invitation(group)
    services.invitation_accept(token="un-token-qualsiasi", password="una-password-lunga")
    invitation.refresh_from_db()
    with pytest.raises(Refused):
        services.invitation_withdraw(invitation=invitation, by=someone)


def test_accepting_without_a_password_creates_nothing(group):
    _invitation(group)
    with pytest.raises(Refused) as excinfo:
        services.invitation_accept(token="un-token-qualsiasi", password="")
    assert "password" in " ".join(excinfo.value.messages)
    assert Invitation.objects.get().state == "open"


def test_the_admin_refuses_a_forbidden_status_change_on_the_form_without_a_500(client, site_admin, group_a):
    from network.models import GroupStatus

    services.group_set_status(group=group_a, status=GroupStatus.CLOSED, by=None)
    client.force_login(site_admin)
    page = client.get(f"/it/admin/network/group/{group_a.pk}/change/")
    assert page.status_code == 200
    data = {
        "themes": [],
        "status": GroupStatus.GEMMATED,
        "name": group_a.name,
        "slug": group_a.slug,
        "description": group_a.description,
        "audience": group_a.audience,
        "facilitator_kind": group_a.facilitator_kind,
        "venue": group_a.venue_id,
        "language": "it",
        "entry": group_a.entry,
        "max_size": 12,
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "0",
    }
    response = client.post(f"/it/admin/network/group/{group_a.pk}/change/", data)
    assert response.status_code == 200
    assert "non può passare" in response.content.decode()
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.CLOSED
