"""`make audit` (scripts/audit.py) never reports "no vulnerabilities" after checking nothing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_audit(tmp_path, *, stdout: str = "", stderr: str = "", code: int = 0) -> subprocess.CompletedProcess:
    """Run the wrapper against a stand-in for pip-audit that answers what a real run would."""
    stub = tmp_path / "fake_pip_audit.py"
    stub.write_text(f"import sys\nsys.stdout.write({stdout!r})\nsys.stderr.write({stderr!r})\nsys.exit({code})\n")
    env = {"PIP_AUDIT": f"{sys.executable} {stub}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "scripts/audit.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2)"}
CLEAN = {"name": "django", "version": "5.2", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.99"], "description": "…"}],
}


def test_offline_every_package_skipped_fails_and_never_says_none_found(tmp_path):
    result = run_audit(tmp_path, stdout=report(SKIPPED, {**SKIPPED, "name": "icalendar"}))
    assert result.returncode == 2
    assert "none of the 2 pinned packages could be checked" in result.stderr
    assert "no known vulnerabilities" not in (result.stdout + result.stderr).lower()


def test_an_unreachable_source_fails_with_the_reason(tmp_path):
    result = run_audit(tmp_path, stderr="requests.exceptions.ConnectionError: cannot resolve api.osv.dev\n", code=1)
    assert result.returncode == 2
    assert "could not reach the advisory source" in result.stderr and "api.osv.dev" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_partial_check_fails_and_names_what_was_not_checked(tmp_path):
    result = run_audit(tmp_path, stdout=report(CLEAN, {**SKIPPED, "name": "segno"}))
    assert result.returncode == 2
    assert "NOT CHECKED segno" in result.stderr and "1 of 2" in result.stderr


@pytest.mark.parametrize(
    ("dependency", "code", "says"), [(CLEAN, 0, "no known vulnerabilities"), (VULNERABLE, 1, "5.2.99")]
)
def test_a_complete_check_reports_what_it_found(tmp_path, dependency, code, says):
    result = run_audit(tmp_path, stdout=report(dependency), code=0 if code == 0 else 1)
    assert result.returncode == code
    assert says in result.stdout
