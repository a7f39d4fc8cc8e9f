"""How long each printable document of a group being started takes to make.

    .venv/bin/python bench/documents.py        (or: make bench)

For a group by open invitation with all its agreements, each document (pact, guide,
poster, flyer, letter) is rendered ROUNDS times in Italian and in English through
`founding.pdf.render_document`, the function the download views call: the database
reads, the QR code and the Typst compile. The first render of the run (Typst loading
its fonts) is reported apart. Results (median and slowest, in ms, and the size in KB)
go to bench/results/documents.json; no figure makes the run fail.

The database is a fresh data/bench-documents.sqlite3 (or BENCH_DOCUMENTS_DATABASE_URL).
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
DB_FILE = ROOT / "data" / "bench-documents.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "cerchio.settings"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DOCUMENTS_DATABASE_URL") or f"sqlite:///{DB_FILE}"
os.environ.setdefault("DEBUG", "false")
if not os.environ.get("BENCH_DOCUMENTS_DATABASE_URL"):
    DB_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

import typst  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from founding.pdf import DocumentKind, render_document  # noqa: E402
from founding.tests.pdf_world import starting_group  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_DOCUMENTS_ROUNDS", "15"))
LANGUAGES = ("it", "en")


def timed(group, kind: DocumentKind, language: str) -> tuple[float, int]:
    started = time.perf_counter()
    pdf = render_document(group=group, kind=kind, language=language)
    return (time.perf_counter() - started) * 1000, len(pdf)


def main() -> None:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        group = starting_group()
    first_ms, _size = timed(group, DocumentKind.POSTER, "it")
    print(f"first render of the run (fonts loaded): {first_ms:.1f} ms")
    results = {}
    for kind in DocumentKind:
        for language in LANGUAGES:
            runs = [timed(group, kind, language) for _ in range(ROUNDS)]
            times = [ms for ms, _size in runs]
            results[f"{kind}-{language}"] = {
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "size_kb": round(runs[-1][1] / 1024, 1),
                "rounds": ROUNDS,
            }
            row = results[f"{kind}-{language}"]
            print(
                f"{kind:7} {language}  median {row['median_ms']:7.1f} ms   slowest {row['max_ms']:7.1f} ms   "
                f"{row['size_kb']:6.1f} KB"
            )
    out = ROOT / "bench" / "results" / "documents.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "typst": typst.__version__,
        "database": django.db.connection.vendor,
        "first_render_ms": round(first_ms, 1),
        "documents": results,
    }
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
