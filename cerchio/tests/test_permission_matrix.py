"""Every URL pattern × every persona (× method for the workspace) → the expected HTTP status.

A new URL without a row makes test_every_url_has_a_row fail. The objects all belong
to group A of association X: facilitator B and coordinator Y are outsiders to them
and get 404 (the object does not exist for them); people without a role get 403
from the workspace; anonymous visitors are sent to sign in (302).

The Django admin is for site administrators only: every other persona is sent to
the login page (302), which is the admin's own answer to a missing permission.
"""

from datetime import date, time, timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Profile
from founding.models import FoundingPath
from intake.consent import CURRENT_CONSENT_VERSION
from intake.models import DemandRecord
from intake.services import request_submit
from network import services
from network.models import (
    GroupAgreements,
    GroupMembership,
    GroupStatus,
    Invitation,
    Meeting,
    Pause,
    StartMode,
    Theme,
)
from network.tests.factories import make_group
from notifications.models import OutboxMessage
from notifications.services import message_enqueue
from notifications.tasks import purge_expired_task

PERSONAS = [
    "anonymous",
    "participant",
    "facilitator_a",
    "facilitator_b",
    "intake_operator",
    "coordinator_x",
    "coordinator_y",
    "site_admin",
    "referrer_x",
]
ALL = lambda status: [status] * len(PERSONAS)  # noqa: E731

# url name → (kwargs, GET statuses in the order of PERSONAS)
MATRIX: dict[str, tuple[dict, list[int]]] = {
    "favicon.ico": ({}, ALL(301)),
    "api:openapi": ({}, ALL(200)),
    "api:themes": ({}, ALL(200)),
    "api:groups": ({}, ALL(200)),
    "api:group": ({"slug": "pubblico"}, ALL(200)),
    "calendar": ({"slug": "pubblico"}, ALL(200)),
    "admin:index": ({}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "admin:login": ({}, [302, 403, 200, 200, 200, 200, 200, 302, 403]),
    "admin:logout": ({}, [302, 302, 302, 302, 302, 302, 302, 405, 302]),
    "admin:password_change": ({}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "admin:password_change_done": ({}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "admin:autocomplete": ({}, [302, 302, 302, 302, 302, 302, 302, 403, 302]),
    "admin:jsi18n": ({}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "admin:view_on_site": ({"content_type_id": 1, "object_id": 1}, [302, 302, 302, 302, 302, 302, 302, 404, 302]),
    "admin:app_list": ({"app_label": "network"}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "(?P<url>.*)$": ({}, [302, 302, 302, 302, 302, 302, 302, 404, 302]),
    "admin:auth_user_password_change": ({"id": 1}, [302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "accounts:home": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "accounts:my_data": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "accounts:my_data_export": ({}, [302, 302, 302, 302, 302, 302, 302, 302, 302]),
    "accounts:my_data_export_readable": ({}, [302, 302, 302, 302, 302, 302, 302, 302, 302]),
    "accounts:my_data_erase": ({}, [302, 302, 302, 302, 302, 302, 302, 302, 302]),
    "accounts:subject_request": ({}, ALL(200)),
    "accounts:subject_act": ({"action": "export", "token": "not-signed"}, ALL(400)),
    "following:follow": ({"slug": "pubblico"}, ALL(200)),
    "following:confirm": ({"token": "not-signed"}, ALL(400)),
    "following:manage": ({"token": "not-signed"}, ALL(400)),
    "following:leave": ({"token": "not-signed"}, ALL(400)),
    "account_login": ({}, [200, 302, 302, 302, 302, 302, 302, 302, 302]),
    "account_logout": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "account_inactive": ({}, ALL(200)),
    "account_signup": ({}, [200, 302, 302, 302, 302, 302, 302, 302, 302]),
    "account_reauthenticate": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "account_email": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "account_email_verification_sent": ({}, ALL(200)),
    "account_change_password": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "account_set_password": ({}, ALL(302)),
    "account_reset_password": ({}, ALL(200)),
    "account_confirm_login_code": ({}, ALL(302)),
    "account_confirm_email": ({"key": "not-a-real-key"}, ALL(200)),
    "account_reset_password_from_key_done": ({}, ALL(200)),
    "account_reset_password_from_key": ({"uidb36": "1", "key": "set-password"}, ALL(200)),
    "account_reset_password_done": ({}, ALL(200)),
    "mfa_index": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "mfa_authenticate": ({}, ALL(302)),
    "mfa_reauthenticate": ({}, [302, 302, 302, 302, 200, 200, 200, 200, 302]),
    "mfa_activate_totp": ({}, ALL(302)),
    "mfa_deactivate_totp": ({}, [302, 404, 404, 404, 302, 302, 302, 302, 404]),
    "mfa_view_recovery_codes": ({}, [302, 404, 404, 404, 404, 404, 404, 404, 404]),
    "mfa_generate_recovery_codes": ({}, ALL(302)),
    "mfa_download_recovery_codes": ({}, [302, 404, 404, 404, 404, 404, 404, 404, 404]),
    "mfa_list_webauthn": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "mfa_add_webauthn": ({}, ALL(302)),
    "mfa_reauthenticate_webauthn": ({}, ALL(302)),
    "mfa_remove_webauthn": ({"pk": 999999}, ALL(302)),
    "mfa_edit_webauthn": ({"pk": 999999}, ALL(302)),
    "usersessions_list": ({}, [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    "directory:home": ({}, ALL(200)),
    "directory:groups": ({}, ALL(200)),
    "directory:group": ({"slug": "pubblico"}, ALL(200)),
    "directory:about": ({}, ALL(200)),
    "directory:privacy": ({}, ALL(200)),
    # Intake: the public request form; its confirmation needs the session of a request just sent.
    "intake:request": ({}, ALL(200)),
    "intake:sent": ({}, ALL(302)),
    "intake:manage": ({"token": "not-signed"}, ALL(400)),
    # A group being started: its shareable "starting soon" page and its first meeting's calendar file.
    "founding:starting_soon": ({"slug": "in-avvio"}, ALL(200)),
    "founding:first_meeting_ics": ({"slug": "in-avvio"}, ALL(200)),
}

# Workspace: url name → (kwargs keys from the world, {method: statuses in the order of PERSONAS}).
# POSTs carry the data in WORKSPACE_POST_DATA (or none): an allowed POST acts and redirects (302).
A_GROUP = [302, 403, 200, 404, 200, 200, 404, 200, 403]  # see group A: its facilitator, X's staff, the site admin
MANAGE_A = [302, 403, 200, 404, 403, 200, 404, 200, 403]  # manage group A's meetings (intake may only look)
MANAGE_A_POST = [302, 403, 302, 404, 403, 302, 404, 302, 403]
ASSOCIATION = [302, 403, 403, 403, 403, 200, 200, 200, 403]  # a coordinator's own association (Y's too)
ASSOCIATION_POST = [302, 403, 403, 403, 403, 302, 302, 302, 403]
X_ONLY = [302, 403, 403, 403, 403, 200, 404, 200, 403]  # an object of association X
X_ONLY_POST = [302, 403, 403, 403, 403, 302, 404, 302, 403]
# The companion: the group's own facilitators only, never a coordinator or a site administrator.
COMPANION_A = [302, 403, 200, 404, 403, 403, 403, 403, 403]
X_ONLY_REFUSED = [302, 403, 403, 403, 403, 400, 404, 400, 403]  # a status change the rules refuse
WORKSPACE: dict[str, tuple[tuple[str, ...], dict[str, list[int]]]] = {
    "workspace:home": ((), {"GET": [302, 403, 200, 200, 200, 200, 200, 200, 200]}),
    "workspace:group": (("slug",), {"GET": A_GROUP, "POST": ALL(405)}),
    "workspace:group_edit": (
        ("slug",),
        # A facilitator's short form is complete; a coordinator's full form needs more fields (200, errors shown).
        {"GET": MANAGE_A, "POST": [302, 403, 302, 404, 403, 200, 404, 200, 403]},
    ),
    "workspace:group_rhythm": (("slug",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:group_pause": (("slug",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:pause_remove": (("slug", "pause"), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    # When the group's followers are reminded: those who manage its meetings (intake may not).
    "workspace:group_reminders": (("slug",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:group_history": (("slug",), {"GET": [302, 403, 200, 404, 403, 200, 404, 200, 403]}),
    "workspace:meeting": (("meeting",), {"GET": MANAGE_A}),
    "workspace:meeting_cancel": (("meeting",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:meeting_restore": (("meeting",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:meeting_move": (("meeting",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    "workspace:meeting_venue": (("meeting",), {"GET": MANAGE_A, "POST": MANAGE_A_POST}),
    # The facilitator's companion (the world's meeting is still to come: a close is refused, shown on the form).
    "workspace:companion": (("meeting",), {"GET": COMPANION_A, "POST": ALL(405)}),
    "workspace:companion_close": (("meeting",), {"GET": COMPANION_A, "POST": COMPANION_A}),
    "workspace:reflection": (("meeting",), {"GET": COMPANION_A, "POST": COMPANION_A}),
    "workspace:reflections": ((), {"GET": [302, 403, 200, 200, 403, 403, 403, 403, 403]}),
    # The association's pages.
    "workspace:groups": ((), {"GET": [302, 403, 200, 200, 200, 200, 200, 200, 403]}),
    "workspace:group_new": ((), {"GET": ASSOCIATION, "POST": ASSOCIATION}),
    "workspace:group_status": (("slug",), {"GET": X_ONLY, "POST": X_ONLY_REFUSED}),
    "workspace:meetings": ((), {"GET": [302, 403, 403, 403, 200, 200, 200, 200, 403]}),
    "workspace:venues": ((), {"GET": ASSOCIATION}),
    "workspace:venue_new": ((), {"GET": ASSOCIATION, "POST": ASSOCIATION}),
    "workspace:venue_edit": (("venue",), {"GET": X_ONLY, "POST": X_ONLY}),
    # Themes are shared by the whole directory: any coordinator (and the site admin) keeps their variants.
    "workspace:themes": ((), {"GET": ASSOCIATION}),
    "workspace:theme_edit": (("theme",), {"GET": ASSOCIATION, "POST": [302, 403, 403, 403, 403, 302, 302, 302, 403]}),
    "workspace:history": ((), {"GET": ASSOCIATION}),
    "workspace:figures": ((), {"GET": ASSOCIATION}),
    "workspace:figures_export": ((), {"GET": ASSOCIATION}),
    "workspace:people": ((), {"GET": ASSOCIATION}),
    # What the public pages say about the association (contact, about, urgent-help numbers).
    "workspace:association_public": ((), {"GET": ASSOCIATION, "POST": ASSOCIATION_POST}),
    # The audit log: a coordinator's own association (Y's too); never the intake operator or a facilitator.
    "workspace:audit": ((), {"GET": ASSOCIATION, "POST": ALL(405)}),
    # A POST without the form's one-time token is sent back to a fresh form (no double sending).
    "workspace:invite": ((), {"GET": ASSOCIATION, "POST": [302, 403, 403, 403, 403, 302, 302, 302, 403]}),
    "workspace:invitation_withdraw": (("invitation",), {"GET": X_ONLY, "POST": X_ONLY_POST}),
    "workspace:role_end": (("kind", "membership"), {"GET": X_ONLY, "POST": X_ONLY_POST}),
    "workspace:message_retry": (("message",), {"GET": ALL(405), "POST": X_ONLY_POST}),
    # Intake: only the association's intake operators and coordinators (never a site administrator
    # without that role); Y's coordinator works Y's queue and gets 404 for X's request.
    "workspace:intake_queue": ((), {"GET": [302, 403, 403, 403, 200, 200, 200, 403, 403]}),
    "workspace:intake_request": (
        ("intake_request",),
        {"GET": [302, 403, 403, 403, 200, 200, 404, 403, 403], "POST": [302, 403, 403, 403, 302, 302, 404, 403, 403]},
    ),
    "workspace:intake_message_retry": (
        ("intake_message",),
        {"GET": ALL(405), "POST": [302, 403, 403, 403, 302, 302, 404, 403, 403]},
    ),
    # Referrers and intake staff file a request for someone; an empty form is refused (400).
    "workspace:intake_refer": (
        (),
        {"GET": [302, 403, 403, 403, 200, 200, 200, 403, 200], "POST": [302, 403, 403, 403, 400, 400, 400, 403, 400]},
    ),
    "workspace:intake_referred": ((), {"GET": [302, 403, 403, 403, 403, 403, 403, 200, 200]}),
    # Unmet demand and the intake figures: coordinators (a coordination reads its members', never starts a group).
    "workspace:demand": ((), {"GET": ASSOCIATION}),
    "workspace:demand_start": (("demand",), {"GET": X_ONLY, "POST": X_ONLY_POST}),
    "workspace:intake_settings": (
        (),
        {"GET": ASSOCIATION, "POST": [302, 403, 403, 403, 403, 302, 302, 302, 403]},
    ),
    "workspace:intake_figures": ((), {"GET": ASSOCIATION}),
    "workspace:intake_figures_csv": ((), {"GET": ASSOCIATION}),
    # Starting a group: the board and the defaults are the association's; the path is the group's.
    "workspace:founding_board": ((), {"GET": ASSOCIATION, "POST": ALL(405)}),
    "workspace:founding_start": ((), {"GET": ASSOCIATION, "POST": [302, 403, 403, 403, 403, 400, 400, 400, 403]}),
    "workspace:founding_settings": ((), {"GET": ASSOCIATION, "POST": [302, 403, 403, 403, 403, 400, 400, 400, 403]}),
    "workspace:founding_path": (("slug",), {"GET": A_GROUP}),
    "workspace:founding_step": (("slug", "step"), {"GET": ALL(405), "POST": MANAGE_A_POST}),
    "workspace:founding_invitations": (("slug",), {"GET": ALL(405), "POST": MANAGE_A_POST}),
    # An empty agreements form is refused with its reasons (400), what was typed kept.
    "workspace:group_agreements": (("slug",), {"GET": MANAGE_A, "POST": [302, 403, 400, 404, 403, 400, 404, 400, 403]}),
    "workspace:founding_guide": (("slug",), {"GET": A_GROUP}),
    "workspace:milestone_done": (("slug", "milestone_kind", "number"), {"GET": ALL(405), "POST": X_ONLY_POST}),
    # Accepting an invitation needs no account: the token is the key.
    # The link is for someone else's address: a signed-in person is told to sign out (403);
    # anonymous, the page asks for a password and an empty form is refused (200).
    "workspace:join": (
        ("token",),
        {"GET": [200, 403, 403, 403, 403, 403, 403, 403, 403], "POST": [200, 403, 403, 403, 403, 403, 403, 403, 403]},
    ),
    # --- A group's printable documents (founding/pdf.py) ---
    # The pact and the guide: whoever sees the group; the promotion kit: the association's coordinators.
    # Group A has no agreements and no first meeting: the pact, the poster and the flyer say what is
    # missing (409); the guide and the letter are made (200).
    "workspace:founding_pact_pdf": (
        ("slug",),
        {"GET": [302, 403, 409, 404, 409, 409, 404, 409, 403], "POST": ALL(405)},
    ),
    "workspace:founding_guide_pdf": (("slug",), {"GET": A_GROUP, "POST": ALL(405)}),
    "workspace:founding_poster_pdf": (("slug",), {"GET": [302, 403, 403, 403, 403, 409, 404, 409, 403]}),
    "workspace:founding_flyer_pdf": (("slug",), {"GET": [302, 403, 403, 403, 403, 409, 404, 409, 403]}),
    "workspace:founding_letter_pdf": (("slug",), {"GET": X_ONLY, "POST": ALL(405)}),
}


def _next_week_day(weekday: int) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.isoweekday()) % 7 + 7)


WORKSPACE_POST_DATA = {
    "workspace:group_edit": {"description": "Un gruppo.", "accessibility_notes": "", "accepting_newcomers": "on"},
    "workspace:group_rhythm": {"pattern": "weekly", "weekday": "2", "start_time": "21:00", "duration_minutes": "120"},
    "workspace:group_reminders": {"day_before_at": "18:00", "hours_before": "2"},
    "workspace:group_pause": lambda world: {
        "starts_on": (timezone.localdate() + timedelta(days=200)).isoformat(),
        "ends_on": (timezone.localdate() + timedelta(days=210)).isoformat(),
    },
    "workspace:meeting_move": lambda world: {
        "new_date": world["meeting"].original_date.isoformat(),
        "new_time": "18:00",
    },
    "workspace:meeting_venue": lambda world: {"venue": world["venue"]},
    "workspace:theme_edit": {"synonyms": "variante, sinonimo"},
    "workspace:intake_request": {"action": "contact"},
    "workspace:demand_start": {"name": "Un gruppo su richiesta"},
    "workspace:intake_settings": {
        "response_working_days": "2",
        "demand_threshold": "6",
        "demand_radius_km": "30",
        "demand_window_months": "6",
    },
    "workspace:companion_close": {"participants": "5", "newcomers": "1", "kind_0": "opens", "text_0": "Apre Anna"},
    "workspace:reflection": {"went_well": ["do7"], "note": "una nota"},
    "workspace:founding_invitations": {"count": "3"},
}


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner)
        else:
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


@pytest.fixture
def world(request, db, group_a, group_b, group_y, association_x):
    # Every persona exists in every case, so "the first object" of a model is always the same.
    for persona in PERSONAS[1:]:
        request.getfixturevalue(persona)
    public = make_group(association=association_x, slug="pubblico")
    starting = make_group(association=association_x, slug="in-avvio", status=GroupStatus.PROMOTING)
    GroupAgreements.objects.create(group=starting, first_meeting_at=timezone.now() + timedelta(days=20))
    FoundingPath.objects.create(group=group_a, start_mode=StartMode.OPEN_INVITATION)
    UserSession.objects.create(
        user=request.getfixturevalue("participant"), session_key="s" * 32, ip="127.0.0.1", user_agent="test"
    )
    Profile.objects.create(user=request.getfixturevalue("participant"), nickname="Lupo")
    services.schedule_create(
        group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", start_time=time(20, 30), starts_on=date(2026, 1, 1), by=None
    )
    upcoming = Meeting.objects.filter(group=group_a, starts_at__gt=timezone.now()).order_by("starts_at")
    meeting = upcoming[2]
    services.meeting_cancel(meeting=upcoming[4], by=None)  # so every admin list has a row
    pause = Pause.objects.create(
        group=group_a,
        starts_on=timezone.localdate() + timedelta(days=100),
        ends_on=timezone.localdate() + timedelta(days=110),
    )
    invitation = Invitation.objects.create(
        association=association_x,
        role="intake",
        email="nuova@example.org",
        token_hash=services._token_hash("token-for-the-matrix"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    purge_expired_task.enqueue()  # so the background-task admin has a row
    failed = message_enqueue(kind="generic", key="matrix", to="x@example.org", language="it", context={})
    OutboxMessage.objects.filter(pk=failed.pk).update(status="failed", association_id=association_x.pk)
    intake_request, _created = request_submit(
        association=association_x, first_name="Anna", email="anna@example.org", consent_version=CURRENT_CONSENT_VERSION
    )
    intake_message = OutboxMessage.objects.get(kind="intake_confirmation")
    OutboxMessage.objects.filter(pk=intake_message.pk).update(status="failed")
    waiting = DemandRecord.objects.create(
        association=association_x,
        theme=Theme.objects.create(slug="richiesto", name_it="Richiesto"),
        area="Trento",
        audience="affected",
        month=timezone.localdate().replace(day=1),
    )
    return {
        "intake_request": intake_request,
        "intake_message": intake_message,
        "demand": waiting,
        "message": failed,
        "membership": GroupMembership.objects.get(user=request.getfixturevalue("facilitator_a")),
        "slug": public.slug,
        "group_slug": group_a.slug,
        "theme": Theme.objects.create(slug="t", name_it="Tema"),
        "group": group_a,
        "meeting": meeting,
        "pause": pause,
        "venue": group_a.venue_id,
        "invitation": invitation,
    }


def status_for(client, request, persona: str, url: str, method: str = "GET", data=None) -> int:
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    if method == "POST":
        return client.post(url, data or {}).status_code
    return client.get(url).status_code


UNNAMED_URLS = {"favicon.ico": "/favicon.ico", "(?P<url>.*)$": "/it/admin/non-esiste/"}
# The admin's bare "<object_id>/" pattern only redirects to the change page, covered by the admin matrix.
ADMIN_OBJECT_REDIRECT = "<path:object_id>/"


def url_for(name: str, kwargs: dict) -> str:
    return UNNAMED_URLS[name] if name in UNNAMED_URLS else reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, persona, row[1][i]) for name, row in MATRIX.items() for i, persona in enumerate(PERSONAS)],
)
def test_url_permission_matrix(client, request, world, name, persona, expected):
    kwargs = {k: (world["slug"] if v == "pubblico" else v) for k, v in MATRIX[name][0].items()}
    if name == "admin:auth_user_password_change":
        kwargs = {"id": request.getfixturevalue("participant").pk}
    assert status_for(client, request, persona, url_for(name, kwargs)) == expected


def _workspace_kwargs(keys: tuple[str, ...], world) -> dict:
    values = {
        "slug": world["group_slug"],
        "meeting": world["meeting"].pk,
        "pause": world["pause"].pk,
        "invitation": world["invitation"].pk,
        "venue": world["venue"],
        "token": "token-for-the-matrix",
        "message": world["message"].pk,
        "membership": world["membership"].pk,
        "kind": "group",
        "theme": world["theme"].slug,
        "intake_request": world["intake_request"].pk,
        "intake_message": world["intake_message"].pk,
        "demand": world["demand"].pk,
        "step": "poster",
        "milestone_kind": "review",
        "number": 1,
    }
    names = {
        "demand": "pk",
        "intake_request": "pk",
        "intake_message": "pk",
        "meeting": "pk",
        "pause": "pk",
        "invitation": "pk",
        "venue": "pk",
        "message": "pk",
        "membership": "pk",
        "theme": "slug",
        "milestone_kind": "kind",
    }
    return {names.get(key, key): values[key] for key in keys}


@pytest.mark.parametrize(
    ("name", "method", "persona", "expected"),
    [
        (name, method, persona, statuses[i])
        for name, (_keys, methods) in WORKSPACE.items()
        for method, statuses in methods.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_workspace_permission_matrix(client, request, world, name, method, persona, expected):
    keys, _methods = WORKSPACE[name]
    data = WORKSPACE_POST_DATA.get(name)
    if callable(data):
        data = data(world)
    url = reverse(name, kwargs=_workspace_kwargs(keys, world))
    assert status_for(client, request, persona, url, method, data) == expected


# The admin: every registered model's pages; only the site administrator gets in.
ADMIN_PAGES = ["changelist", "add", "change", "history", "delete"]
# What the site administrator may do where it differs from "see and change, never delete".
READ_ONLY = {
    "network.schedule",
    "network.scheduleexception",
    "network.pause",
    "network.meeting",
    "network.invitation",
    "network.activity",
    "django_tasks_database.dbtaskresult",
    "mfa.authenticator",
}
SITE_ADMIN_DELETES = {
    "accounts.user",
    "network.associationmembership",
    "network.groupmembership",
    "account.emailaddress",
    "mfa.authenticator",
    "usersessions.usersession",
    "accounts.profile",
}


def site_admin_status(label: str, page: str) -> int:
    if page == "add":
        return 403 if label in READ_ONLY or label == "accounts.profile" else 200
    if page == "delete":
        return 200 if label in SITE_ADMIN_DELETES else 403
    return 200


def admin_model_urls(world):
    """(model label, page, url) for every registered admin model page."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        obj = model_admin.model.objects.order_by("pk").first()
        if model is Theme:
            obj = world["theme"]
        object_id = obj.pk if obj is not None else 0
        for page in ADMIN_PAGES:
            args = [object_id] if page in ("change", "history", "delete") else []
            yield opts.label_lower, page, reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_permission_matrix(client, request, world, persona):
    for label, page, url in admin_model_urls(world):
        expected = site_admin_status(label, page) if persona == "site_admin" else 302
        assert status_for(client, request, persona, url) == expected, (label, page, url)


def test_every_url_has_a_row():
    admin_pages = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        for model in admin.site._registry
        for page in ADMIN_PAGES
    }
    missing = [
        name
        for name in walk()
        if name != ADMIN_OBJECT_REDIRECT and name not in admin_pages and name not in MATRIX and name not in WORKSPACE
    ]
    assert not missing, f"add rows to the permission matrix for: {sorted(set(missing))}"


def test_head_answers_like_get_on_every_page(client, request, world):
    """HEAD works wherever GET does (link checkers, uptime monitors), with the same status and no body."""
    pages = []
    for name, (kwargs, statuses) in MATRIX.items():
        if 200 in statuses:
            kwargs = {k: (world["slug"] if v == "pubblico" else v) for k, v in kwargs.items()}
            if name == "admin:auth_user_password_change":
                kwargs = {"id": request.getfixturevalue("participant").pk}
            pages.append((url_for(name, kwargs), PERSONAS[statuses.index(200)]))
    for name, (keys, methods) in WORKSPACE.items():
        if 200 in methods.get("GET", []):
            pages.append((reverse(name, kwargs=_workspace_kwargs(keys, world)), PERSONAS[methods["GET"].index(200)]))
    assert len(pages) > 40
    wrong = []
    for url, persona in pages:
        status_for(client, request, persona, url)  # signs the persona in
        response = client.head(url)
        if response.status_code != 200 or response.content:
            wrong.append((url, persona, response.status_code))
    assert not wrong, f"HEAD differs from GET on: {wrong}"
