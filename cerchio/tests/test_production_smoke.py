"""Cerchio as deployed (docs/deploy.md): gunicorn serving pages and the worker, in production mode."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG", "CERCHIO_DEMO"}}
    env.update(
        DJANGO_SETTINGS_MODULE="cerchio.settings",
        CERCHIO_ENV="production",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="127.0.0.1",
        CERCHIO_SITE_URL="https://gruppi.example.org",
        CERCHIO_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        CERCHIO_BLIND_INDEX_KEYS=get_random_secret_key(),
        CERCHIO_DATA_DIR=str(tmp_path / "data"),
        STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_BACKEND="notifications.backends.MailFolderBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return result


def get(url: str):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_gunicorn_serves_pages_and_the_worker_runs_in_production_mode(tmp_path):
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 50
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cerchio.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/it/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert status == 200
        assert "<title>" in page and "Cerchio</title>" in page
        stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet.startswith("/static/") and stylesheet != "/static/css/cerchio.css"  # hashed name
        assert get(f"http://127.0.0.1:{port}{stylesheet}")[0] == 200
        time.sleep(1.5)
        assert worker.poll() is None, worker.stdout.read()
    finally:
        worker.terminate()
        server.terminate()
        worker_output = worker.communicate(timeout=20)[0]
        server.communicate(timeout=20)
    assert worker.returncode == 0, worker_output
    assert "Pass done" in worker_output and "stopped" in worker_output
    assert "Traceback" not in worker_output
