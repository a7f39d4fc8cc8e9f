"""A visitor follows a group on a phone, confirms by the e-mail link, and then receives
exactly one reminder and one change notice, sent by the worker (manage.py run_worker).

Chromium (Debian's /usr/bin/chromium) through Playwright at 390×844, against the live server.
"""

import re
import signal
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from directory.tests.test_journey import browser  # noqa: F401  (the shared Chromium fixture)
from following.models import ReminderPlan
from network.models import Venue
from network.services import meeting_change_venue
from network.tests.factories import make_group
from notifications.models import PeriodicRun

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def worker_pass() -> None:
    """One pass of the real worker, in the next time slot of its periodic jobs."""
    PeriodicRun.objects.all().delete()  # as if a minute had gone by since the last pass
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        call_command("run_worker", "--once", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def path_of(body: str, part: str) -> str:
    url = next(url for url in re.findall(r"https?://\S+", body) if part in url)
    return re.sub(r"^https?://[^/]+", "", url)


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_follows_confirms_and_gets_one_reminder_and_one_change_notice(
    browser,  # noqa: F811
    live_server,
    settings,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CERCHIO_SITE_URL = live_server.url
    settings.CERCHIO_FOLLOWING_QUIET_SECONDS = 0
    # A group meeting every day three hours from now, reminding four hours before: the
    # next meeting's reminder is due at once, the one after it only tomorrow.
    soon = timezone.localtime() + timedelta(hours=3)
    group = make_group(
        name="Gruppo Lutto Trento",
        slug="lutto-trento",
        rule="FREQ=DAILY",
        at=soon.time().replace(second=0, microsecond=0),
    )
    ReminderPlan.objects.create(group=group, day_before_at=None, hours_before=4)

    context = browser.new_context(locale="it-IT", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url + group.get_absolute_url())
    page.get_by_label("Il tuo indirizzo e-mail").fill("visitatrice@example.org")
    page.get_by_role("button", name="Segui questo gruppo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la posta")
    no_horizontal_scroll(page)

    worker_pass()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["visitatrice@example.org"] and group.name not in confirmation.subject
    page.goto(live_server.url + path_of(confirmation.body, "/following/confirm/"))
    page.get_by_role("button", name="Sì, conferma").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confermato")
    no_horizontal_scroll(page)

    worker_pass()  # the reminder's time has come
    worker_pass()  # and nothing more the next minute
    reminders = [m for m in mail.outbox if m.subject.startswith("Cerchio: prossimo incontro")]
    assert len(reminders) == 1 and reminders[0].to == ["visitatrice@example.org"]
    assert group.name not in reminders[0].subject and "Lutto" not in reminders[0].subject

    # A coordinator holds tomorrow's meeting elsewhere.
    tomorrow = group.meetings.filter(starts_at__gt=timezone.now() + timedelta(hours=12)).order_by("starts_at").first()
    other = Venue.objects.create(
        association=group.association, name="Sala parrocchiale", address="Via Verdi 3", comune="Trento",
        province="TN", latitude=46.07, longitude=11.12,
    )  # fmt: skip
    meeting_change_venue(meeting=tomorrow, venue=other, by=None)
    worker_pass()
    worker_pass()
    notices = [m for m in mail.outbox if m.subject.startswith("Cerchio: cambia")]
    assert len(notices) == 1 and "Sala parrocchiale" in notices[0].body
    assert len(mail.outbox) == 3  # the confirmation, one reminder, one notice

    # From the notice, the follower sees what they follow, on the phone.
    page.goto(live_server.url + path_of(notices[0].body, "/following/mine/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cosa segui")
    expect(page.get_by_role("link", name=group.name)).to_be_visible()
    no_horizontal_scroll(page)
    context.close()
