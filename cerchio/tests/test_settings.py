"""Production settings refuse unsafe configurations; development needs none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"
FERNET_KEY = "x0nWq3Yk0Jq7c5bq0kTjv9bq3m0Qy8cS9G2tN5l1e4A="
BLIND_INDEX_KEY = "b" * 10 + "-production-blind-index-key-for-tests"
PRODUCTION = {
    "CERCHIO_ENV": "production",
    "ALLOWED_HOSTS": "gruppi.example.org",
    "CERCHIO_ENCRYPTION_KEYS": FERNET_KEY,
    "CERCHIO_BLIND_INDEX_KEYS": BLIND_INDEX_KEY,
    "CERCHIO_SITE_URL": "https://gruppi.example.org",
}


def run_check(tmp_path, **env):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({"CERCHIO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cerchio.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_with_real_settings_passes_the_deploy_check(tmp_path):
    result = run_check(tmp_path, SECRET_KEY=GOOD_KEY, **PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "true", "SECRET_KEY": GOOD_KEY}, "DEBUG"),
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 40}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_DEMO": "true"}, "Demo"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_ENCRYPTION_KEYS": ""}, "CERCHIO_ENCRYPTION_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_SITE_URL": "http://gruppi.example.org"}, "CERCHIO_SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_SITE_URL": "gruppi.example.org"}, "CERCHIO_SITE_URL"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_ENCRYPTION_KEYS": "not-a-fernet-key"}, "CERCHIO_ENCRYPTION_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_ENCRYPTION_KEYS": f"{FERNET_KEY},short"}, "CERCHIO_ENCRYPTION_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_BLIND_INDEX_KEYS": ""}, "CERCHIO_BLIND_INDEX_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_BLIND_INDEX_KEYS": "x" * 31}, "CERCHIO_BLIND_INDEX_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_BLIND_INDEX_KEYS": f"{BLIND_INDEX_KEY},short"}, "CERCHIO_BLIND_INDEX_KEYS"),
        ({"SECRET_KEY": GOOD_KEY, "CERCHIO_BLIND_INDEX_KEYS": GOOD_KEY}, "CERCHIO_BLIND_INDEX_KEYS"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, env, message):
    result = run_check(tmp_path, **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def _example_value(name: str) -> str:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise LookupError(name)


@pytest.mark.parametrize("name", ["SECRET_KEY", "CERCHIO_ENCRYPTION_KEYS", "CERCHIO_BLIND_INDEX_KEYS"])
def test_production_refuses_each_placeholder_copied_from_env_example(tmp_path, name):
    result = run_check(tmp_path, **{**PRODUCTION, "SECRET_KEY": GOOD_KEY, name: _example_value(name)})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_production_still_reads_a_single_blind_index_key_by_its_old_name(tmp_path):
    settings = {key: value for key, value in PRODUCTION.items() if key != "CERCHIO_BLIND_INDEX_KEYS"}
    result = run_check(tmp_path, SECRET_KEY=GOOD_KEY, CERCHIO_BLIND_INDEX_KEY=BLIND_INDEX_KEY, **settings)
    assert result.returncode == 0, result.stderr


def test_development_generates_a_private_blind_index_key_apart_from_the_secret_key(tmp_path):
    run_check(tmp_path, CERCHIO_ENV="development")
    key_file = tmp_path / "blind_index_key"
    first = key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first) >= 32 and first != (tmp_path / "secret_key").read_text()
    run_check(tmp_path, CERCHIO_ENV="development")
    assert key_file.read_text() == first


def test_development_generates_a_private_secret_key_once(tmp_path):
    assert run_check(tmp_path, CERCHIO_ENV="development").returncode in (0, 1)
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    run_check(tmp_path, CERCHIO_ENV="development")
    assert key_file.read_text() == first


def _is_secure_behind(tmp_path, **env) -> str:
    """Whether production Cerchio takes a plain request with X-Forwarded-Proto: https as secure."""
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update({"CERCHIO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cerchio.settings", **env})
    code = (
        "import django; django.setup(); from django.test import RequestFactory; "
        "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_ignored_with_no_trusted_proxy(tmp_path):
    assert _is_secure_behind(tmp_path, SECRET_KEY=GOOD_KEY, **PRODUCTION) == "False"


def test_x_forwarded_proto_is_believed_behind_a_trusted_proxy(tmp_path):
    env = {"SECRET_KEY": GOOD_KEY, **PRODUCTION, "CERCHIO_TRUSTED_PROXIES": "1"}
    assert _is_secure_behind(tmp_path, **env) == "True"


def test_a_negative_number_of_proxies_is_refused(tmp_path):
    result = run_check(tmp_path, SECRET_KEY=GOOD_KEY, **PRODUCTION, CERCHIO_TRUSTED_PROXIES="-1")
    assert result.returncode != 0
    assert "CERCHIO_TRUSTED_PROXIES" in result.stderr
