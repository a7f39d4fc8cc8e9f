"""Sign-in timing benchmark: does an existing address answer as fast as a new one?

    .venv/bin/python bench/accounts.py        (or: make bench)

For sign-up, login with a wrong password and password reset, the same request is timed
with an address that has an account and with one that has none, alternating, through
django.test.Client in-process with the production password hasher (Argon2). A stranger
must not tell the two apart by the time the answer takes. Results (medians, in ms, and
the difference) go to bench/results/accounts.json; no figure makes the run fail.

The database is a fresh data/bench-accounts.sqlite3 (or BENCH_ACCOUNTS_DATABASE_URL).
"""

import json
import os
import platform
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "data" / "bench-accounts.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "cerchio.settings"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_ACCOUNTS_DATABASE_URL") or f"sqlite:///{DB_FILE}"
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if not os.environ.get("BENCH_ACCOUNTS_DATABASE_URL"):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.services import account_create  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ACCOUNTS_ROUNDS", "30"))
PASSWORD = "Girasole-Nebbia-2847"
CASES = {
    "signup": (
        "/it/accounts/signup/",
        lambda address: {"email": address, "password1": PASSWORD, "password2": PASSWORD},
    ),
    "login_wrong_password": ("/it/accounts/login/", lambda address: {"login": address, "password": "sbagliata-123"}),
    "password_reset": ("/it/accounts/password/reset/", lambda address: {"email": address}),
}


def timed(path: str, data: dict) -> float:
    cache.clear()  # rate limits would otherwise answer instead of the code being measured
    client = Client(REMOTE_ADDR="192.0.2.10")
    started = time.perf_counter()
    response = client.post(path, data)
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), (path, response.status_code)
    return elapsed * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    existing = [f"persona.{number}@example.org" for number in range(ROUNDS)]
    for address in existing:
        account_create(email=address, password=PASSWORD)
    results = {}
    for case, (path, make) in CASES.items():
        timed(path, make("riscaldamento@example.org"))  # warm-up
        times = {"existing": [], "new": []}
        for number in range(ROUNDS):
            times["existing"].append(timed(path, make(existing[number])))
            times["new"].append(timed(path, make(f"{case}.nuova.{number}@example.org")))
        medians = {name: round(statistics.median(values), 2) for name, values in times.items()}
        results[case] = {
            "median_ms_existing": medians["existing"],
            "median_ms_new": medians["new"],
            "difference_ms": round(medians["existing"] - medians["new"], 2),
            "rounds": ROUNDS,
        }
        print(f"{case:22} existing {medians['existing']:8.1f} ms   new {medians['new']:8.1f} ms")
    out = ROOT / "bench" / "results" / "accounts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "database": django.db.connection.vendor,
        "hasher": django.conf.settings.PASSWORD_HASHERS[0],
        "cases": results,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
