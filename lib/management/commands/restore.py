from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.backup import BackupError, backup_check, backup_restore, live_database_path, require_sqlite


class Command(BaseCommand):
    help = (
        "Check a backup and replace the SQLite database with it. Stop the site and the worker first. "
        "Without --yes it only checks the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Replace the database (it cannot be undone).")

    def handle(self, *args, path: Path, yes: bool, **options):
        try:
            require_sqlite(tool="pg_restore")
            if not yes:
                report = backup_check(path)
                raise CommandError(
                    f"{path} is a sound copy ({report['tables']} tables, {report['migrations']} migrations). "
                    f"Restoring replaces the database at {live_database_path()}: run again with --yes."
                )
            report = backup_restore(source=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot restore from {path}: {error.strerror or error}") from None
        self.stdout.write(f"Database restored from {path}.")
        if report["pending"]:
            self.stdout.write(f"The copy is older than this code: run `manage.py migrate` ({report['pending']} new).")
