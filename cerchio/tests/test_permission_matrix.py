"""Every URL pattern of the project × every persona → the expected HTTP status.

A new URL without a row makes test_every_url_has_a_row fail. Admin pages follow a
per-model policy (ADMIN) instead of one row each. Out-of-scope admin objects do
not exist for a person: the admin redirects away (302), as for a deleted object.
"""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.urls import URLResolver, get_resolver

from directory.models import Schedule, Theme
from directory.tests.factories import make_group
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
]

# url name → (kwargs, statuses in the order of PERSONAS)
MATRIX: dict[str, tuple[dict, list[int]]] = {
    "favicon.ico": ({}, [301, 301, 301, 301, 301, 301, 301, 301]),
    "api:openapi": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "api:themes": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "api:groups": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "api:group": ({"slug": "pubblico"}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "calendar": ({"slug": "pubblico"}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "admin:index": ({}, [302, 302, 200, 200, 200, 200, 200, 200]),
    "admin:login": ({}, [302, 403, 302, 302, 302, 302, 302, 302]),
    "admin:logout": ({}, [302, 302, 405, 405, 405, 405, 405, 405]),
    "admin:password_change": ({}, [302, 302, 200, 200, 200, 200, 200, 200]),
    "admin:password_change_done": ({}, [302, 302, 200, 200, 200, 200, 200, 200]),
    "admin:autocomplete": ({}, [302, 302, 403, 403, 403, 403, 403, 403]),
    "admin:jsi18n": ({}, [302, 302, 200, 200, 200, 200, 200, 200]),
    "admin:view_on_site": ({"content_type_id": 1, "object_id": 1}, [302, 302, 404, 404, 404, 404, 404, 404]),
    "admin:app_list": ({"app_label": "directory"}, [302, 302, 200, 200, 404, 200, 200, 200]),
    "(?P<url>.*)$": ({}, [302, 302, 404, 404, 404, 404, 404, 404]),
    "admin:auth_user_password_change": ({"id": 1}, [302, 302, 403, 403, 403, 403, 403, 200]),
    "accounts:home": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "accounts:my_data": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "accounts:my_data_export": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "accounts:my_data_erase": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "account_login": ({}, [200, 302, 302, 302, 302, 302, 302, 302]),
    "account_logout": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "account_inactive": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "account_signup": ({}, [200, 302, 302, 302, 302, 302, 302, 302]),
    "account_reauthenticate": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "account_email": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "account_email_verification_sent": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "account_change_password": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "account_set_password": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "account_reset_password": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "account_confirm_login_code": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "account_confirm_email": ({"key": "not-a-real-key"}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "account_reset_password_from_key_done": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "account_reset_password_from_key": (
        {"uidb36": "1", "key": "set-password"},
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "account_reset_password_done": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "mfa_index": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "mfa_authenticate": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_reauthenticate": ({}, [302, 302, 302, 302, 200, 200, 200, 200]),
    "mfa_activate_totp": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_deactivate_totp": ({}, [302, 404, 404, 404, 302, 302, 302, 302]),
    "mfa_view_recovery_codes": ({}, [302, 404, 404, 404, 404, 404, 404, 404]),
    "mfa_generate_recovery_codes": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_download_recovery_codes": ({}, [302, 404, 404, 404, 404, 404, 404, 404]),
    "mfa_list_webauthn": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "mfa_add_webauthn": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_reauthenticate_webauthn": ({}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_remove_webauthn": ({"pk": 999999}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "mfa_edit_webauthn": ({"pk": 999999}, [302, 302, 302, 302, 302, 302, 302, 302]),
    "usersessions_list": ({}, [302, 200, 200, 200, 200, 200, 200, 200]),
    "directory:home": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "directory:groups": ({}, [200, 200, 200, 200, 200, 200, 200, 200]),
    "directory:group": ({"slug": "pubblico"}, [200, 200, 200, 200, 200, 200, 200, 200]),
}

# admin model → statuses for (changelist, add, change of the world's object, history, delete)
ADMIN: dict[str, dict[str, list[int]]] = {
    "auth.user": {
        "changelist": [302, 302, 403, 403, 403, 403, 403, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 403, 403, 403, 403, 403, 200],
        "history": [302, 302, 403, 403, 403, 403, 403, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 200],
    },
    "account.emailaddress": {
        "changelist": [302, 302, 403, 403, 403, 403, 403, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 403, 403, 403, 403, 403, 200],
        "history": [302, 302, 403, 403, 403, 403, 403, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 200],
    },
    "mfa.authenticator": {
        "changelist": [302, 302, 403, 403, 403, 403, 403, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 403, 403, 403, 403, 403, 200],
        "history": [302, 302, 403, 403, 403, 403, 403, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 200],
    },
    "usersessions.usersession": {
        "changelist": [302, 302, 403, 403, 403, 403, 403, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 403, 403, 403, 403, 403, 200],
        "history": [302, 302, 403, 403, 403, 403, 403, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 200],
    },
    "directory.theme": {
        "changelist": [302, 302, 200, 200, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 200, 200, 403, 200, 200, 200],
        "history": [302, 302, 200, 200, 403, 200, 200, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 200],
    },
    "directory.association": {
        "changelist": [302, 302, 403, 403, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 200],
        "change": [302, 302, 403, 403, 403, 200, 302, 200],
        "history": [302, 302, 302, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    "directory.venue": {
        "changelist": [302, 302, 200, 200, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 200, 200, 200],
        "change": [302, 302, 200, 302, 403, 200, 302, 200],
        "history": [302, 302, 200, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    "directory.group": {
        "changelist": [302, 302, 200, 200, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 200, 200, 200],
        "change": [302, 302, 200, 302, 403, 200, 302, 200],
        "history": [302, 302, 200, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    "directory.schedule": {
        "changelist": [302, 302, 200, 200, 403, 200, 200, 200],
        "add": [302, 302, 200, 200, 403, 200, 200, 200],
        "change": [302, 302, 200, 302, 403, 200, 302, 200],
        "history": [302, 302, 200, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    "directory.meeting": {
        "changelist": [302, 302, 200, 200, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 403],
        "change": [302, 302, 302, 302, 403, 200, 302, 200],
        "history": [302, 302, 302, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    "accounts.associationmembership": {
        "changelist": [302, 302, 403, 403, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 200, 200, 200],
        "change": [302, 302, 403, 403, 403, 200, 302, 200],
        "history": [302, 302, 302, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
    # Background tasks (django-tasks-db): read-only, for the site administrator alone.
    "django_tasks_database.dbtaskresult": {
        "changelist": [302, 302, 403, 403, 403, 403, 403, 200],
        "add": [302, 302, 403, 403, 403, 403, 403, 403],
        "change": [302, 302, 403, 403, 403, 403, 403, 200],
        "history": [302, 302, 403, 403, 403, 403, 403, 200],
        "delete": [302, 302, 403, 403, 403, 403, 403, 403],
    },
    "accounts.groupmembership": {
        "changelist": [302, 302, 403, 403, 403, 200, 200, 200],
        "add": [302, 302, 403, 403, 403, 200, 200, 200],
        "change": [302, 302, 403, 403, 403, 200, 302, 200],
        "history": [302, 302, 302, 302, 302, 200, 302, 200],
        "delete": [302, 302, 403, 403, 403, 200, 302, 200],
    },
}

ADMIN_PAGES = ["changelist", "add", "change", "history", "delete"]


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner)
        else:
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


def is_admin(name: str) -> bool:
    return name.startswith("admin:")


@pytest.fixture
def world(request, db, group_a, group_b, group_y, association_x):
    # Every persona exists in every case, so "the first object" of a model is always the same.
    for persona in PERSONAS[1:]:
        request.getfixturevalue(persona)
    public = make_group(association=association_x, slug="pubblico")
    UserSession.objects.create(
        user=request.getfixturevalue("participant"), session_key="s" * 32, ip="127.0.0.1", user_agent="test"
    )
    purge_expired_task.enqueue()  # a background task row for the admin pages
    return {
        "slug": public.slug,
        "theme": Theme.objects.create(slug="t", name_it="Tema"),
        "schedule": Schedule.objects.create(
            group=group_a, rrule="FREQ=WEEKLY;BYDAY=TU", starts_on="2026-01-01", start_time="20:30"
        ),
        "group": group_a,
    }


def sample_kwargs(name: str, world) -> dict:
    """Arguments for the URL patterns that take some: real objects where it matters."""
    return {
        "api:group": {"slug": world["slug"]},
        "calendar": {"slug": world["slug"]},
        "directory:group": {"slug": world["slug"]},
        "account_confirm_email": {"key": "not-a-real-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        "mfa_remove_webauthn": {"pk": 999999},
        "mfa_edit_webauthn": {"pk": 999999},
        "admin:app_list": {"app_label": "directory"},
        "admin:view_on_site": {"content_type_id": 1, "object_id": 1},
    }.get(name, {})


def admin_model_urls(world):
    """(model label, page, url) for every registered admin model page."""
    from django.urls import reverse

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        obj = model_admin.model.objects.order_by("pk").first()
        if model is Theme:
            obj = world["theme"]
        elif model is Schedule:
            obj = world["schedule"]
        elif opts.label_lower == "directory.group":
            obj = world["group"]
        object_id = obj.pk if obj is not None else 0
        for page in ADMIN_PAGES:
            args = [object_id] if page in ("change", "history", "delete") else []
            yield opts.label_lower, page, reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def status_for(client, request, persona: str, url: str) -> int:
    client.logout()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(url).status_code


UNNAMED_URLS = {"favicon.ico": "/favicon.ico", "(?P<url>.*)$": "/it/admin/non-esiste/"}
# The admin's bare "<object_id>/" pattern only redirects to the change page, covered by ADMIN.
ADMIN_OBJECT_REDIRECT = "<path:object_id>/"


def url_for(name: str, kwargs: dict) -> str:
    from django.urls import reverse

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


@pytest.mark.parametrize(
    ("label", "page", "persona", "expected"),
    [
        (label, page, persona, statuses[i])
        for label, pages in ADMIN.items()
        for page, statuses in pages.items()
        for i, persona in enumerate(PERSONAS)
    ],
)
def test_admin_permission_matrix(client, request, world, label, page, persona, expected):
    urls = {(model, kind): url for model, kind, url in admin_model_urls(world)}
    assert status_for(client, request, persona, urls[label, page]) == expected


def test_every_url_has_a_row():
    admin_pages = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}": model._meta.label_lower
        for model in admin.site._registry
        for page in ADMIN_PAGES
    }
    missing = []
    for name in walk():
        if name == ADMIN_OBJECT_REDIRECT:
            continue
        if name in admin_pages:
            if admin_pages[name] not in ADMIN:
                missing.append(admin_pages[name])
        elif name not in MATRIX:
            missing.append(name)
    assert not missing, f"add rows to the permission matrix for: {sorted(set(missing))}"
