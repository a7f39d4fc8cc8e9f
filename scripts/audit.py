"""`make audit`: the pinned requirements against the known vulnerabilities (pip-audit).

pip-audit without network says "No known vulnerabilities found" after checking
nothing: every package is only "skipped". This wrapper counts what was really checked
and fails unless every pinned package was.

Exit codes: 0 every package checked, none vulnerable; 1 vulnerabilities found;
2 nothing or not everything could be checked (no advisory source reached).
"""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]


def pip_audit_command() -> list[str]:
    command = shlex.split(os.environ.get("PIP_AUDIT", "")) or [sys.executable, "-m", "pip_audit"]
    service = os.environ.get("AUDIT_SERVICE", "pypi")  # or "osv"
    args = ["--no-deps", "--disable-pip", "--progress-spinner", "off", "--format", "json", "-s", service]
    for name in REQUIREMENTS:
        args += ["-r", str(ROOT / name)]
    return command + args


def main() -> int:
    service = os.environ.get("AUDIT_SERVICE", "pypi")
    # The command is pip-audit itself, or PIP_AUDIT as set by whoever runs the audit.
    result = subprocess.run(pip_audit_command(), capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    try:
        report = json.loads(result.stdout)
        dependencies = report["dependencies"]
    except (json.JSONDecodeError, KeyError, TypeError):
        last = [line for line in result.stderr.splitlines() if line.strip()][-1:] or ["no output"]
        print(f"AUDIT FAILED: pip-audit could not reach the advisory source ({service}): {last[0]}", file=sys.stderr)
        print("Nothing was checked. Run `make audit` again on a machine that reaches it.", file=sys.stderr)
        return 2
    checked = [dep for dep in dependencies if "skip_reason" not in dep]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    vulnerable = [dep for dep in checked if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixed})")
    if not checked:
        print(
            f"AUDIT FAILED: none of the {len(skipped)} pinned packages could be checked: the advisory "
            f"source ({service}) was not reached. Nothing is known about their vulnerabilities.",
            file=sys.stderr,
        )
        return 2
    if skipped:
        for dep in skipped:
            print(f"NOT CHECKED {dep['name']}: {dep['skip_reason']}", file=sys.stderr)
        print(
            f"AUDIT INCOMPLETE: {len(skipped)} of {len(dependencies)} packages could not be checked.", file=sys.stderr
        )
        return 1 if vulnerable else 2
    if vulnerable:
        print(f"{len(vulnerable)} of {len(checked)} pinned packages have known vulnerabilities: update their pins.")
        return 1
    print(f"Checked all {len(checked)} pinned packages against {service}: no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
