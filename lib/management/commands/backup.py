from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write a consistent copy of the SQLite database to PATH while the site runs (docs/deploy.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to write, e.g. /srv/backups/cerchio-2026-11-23.sqlite3")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")

    def handle(self, *args, path: Path, force: bool, **options):
        try:
            written = backup_write(destination=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}") from None
        size = written.stat().st_size
        self.stdout.write(f"Backup written to {written} ({size // 1024} KiB).")
