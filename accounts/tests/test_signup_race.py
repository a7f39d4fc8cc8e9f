"""One account per address, with eight real processes signing up for it at the same moment.

The processes share a database prepared by `migrate` in a temporary folder (SQLite), or a
scratch PostgreSQL database when DATABASE_URL is set. Each waits at a barrier after its form
has found the address free, so all eight insert together: the race is forced, not hoped for.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
RACERS = 8
ADDRESS = "chiara.in.corsa@example.org"

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])

SIGN_UP = """
import django, json, os, sys, time
from pathlib import Path
django.setup()
from accounts import forms as account_forms
from django.test import Client

barrier = Path(os.environ["RACE_BARRIER"])
original = account_forms.SignupForm.try_save

def try_save_together(self, request):
    # Every racer has passed allauth's "is the address free?" check before anyone inserts.
    (barrier / str(os.getpid())).touch()
    deadline = time.monotonic() + 20
    while len(list(barrier.iterdir())) < int(os.environ["RACERS"]) and time.monotonic() < deadline:
        time.sleep(0.01)
    return original(self, request)

account_forms.SignupForm.try_save = try_save_together
client = Client(REMOTE_ADDR=f"192.0.2.{sys.argv[1]}")
response = client.post(
    "/it/accounts/signup/",
    {"email": sys.argv[2], "password1": "Girasole-Nebbia-2847", "password2": "Girasole-Nebbia-2847"},
    follow=True,
)
print(json.dumps({"status": response.status_code, "page": response.content.decode()}))
"""

COUNT = """
import django, json, sys
django.setup()
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from notifications.models import OutboxMessage
from privacy.sealing import pseudo_for
pseudo = pseudo_for(sys.argv[1])
print(json.dumps({
    "users": get_user_model().objects.filter(email=pseudo).count(),
    "addresses": EmailAddress.objects.filter(email=pseudo).count(),
    "mails": OutboxMessage.objects.filter(kind="account_mail").count(),
}))
"""


@pytest.fixture(params=DATABASES)
def shared_database(request, tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="cerchio.settings",
        CERCHIO_DATA_DIR=str(tmp_path / "data"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        RACE_BARRIER=str(tmp_path / "barrier"),
        RACERS=str(RACERS),
        LOG_LEVEL="CRITICAL",
    )
    (tmp_path / "barrier").mkdir()
    scratch = None
    if request.param == "postgresql":
        import psycopg

        server = os.environ["DATABASE_URL"]
        scratch = f"cerchio_signup_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{scratch}"))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60)
    yield env
    if scratch:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_eight_racing_signups_create_one_account_and_the_others_get_a_message(shared_database):
    env = shared_database
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", SIGN_UP, str(number + 1), ADDRESS],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(RACERS)
    ]
    answers = []
    for racer in racers:
        stdout, stderr = racer.communicate(timeout=120)
        assert racer.returncode == 0, stderr
        answers.append(json.loads(stdout))

    # Nobody sees an error page; everybody is told to look at their mailbox.
    assert [answer["status"] for answer in answers] == [200] * RACERS
    assert all("Conferma il tuo indirizzo e-mail" in answer["page"] for answer in answers), answers[0]["page"][:2000]

    counted = subprocess.run(
        [sys.executable, "-c", COUNT, ADDRESS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert counted.returncode == 0, counted.stderr
    figures = json.loads(counted.stdout)
    # One account and one e-mail: allauth mails an address at most once every few minutes,
    # so the racers who lost are told on the page, and the mailbox is not flooded.
    assert figures == {"users": 1, "addresses": 1, "mails": 1}
