import re
from datetime import time

import pytest
from django.core import mail

from following.models import Follow, Follower
from network.tests.factories import ThemeFactory, make_group
from notifications.delivery import deliver_due


@pytest.fixture
def group(db):
    theme = ThemeFactory(slug="gioco-azzardo", name_it="Gioco d'azzardo", name_en="Gambling")
    return make_group(name="Gruppo Azzardo Trento", slug="azzardo-trento", at=time(20, 30), themes=[theme])


def add_follower(group, email="persona@example.org", language="it", reminders=True, user=None) -> Follower:
    from privacy.crypto import blind_index

    if user is not None:
        follower = Follower.objects.create(user=user, language=language, reminders=reminders)
    else:
        follower = Follower.objects.create(
            email=email, email_index=blind_index(email), language=language, reminders=reminders
        )
    from django.utils import timezone

    Follow.objects.create(follower=follower, group=group, confirmed_at=timezone.now())
    return follower


def send_all(now=None) -> int:
    return deliver_due(worker_id="test-worker", limit=100000, now=now)


def link(body: str, part: str) -> str:
    """The first absolute link in a body that contains `part`, as a path."""
    for url in re.findall(r"https?://\S+", body):
        if part in url:
            return re.sub(r"^https?://[^/]+", "", url).rstrip(".")
    raise AssertionError(f"no link with {part!r} in {body!r}")


@pytest.fixture
def outbox_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox
