"""For an operator asked by phone or letter: export or erase the data of an address with no account."""

from django.core.management.base import BaseCommand, CommandError

from privacy import subjects
from privacy.services import export_json


class Command(BaseCommand):
    help = "Export (--export) or erase (--erase) what Cerchio holds about an e-mail address with no account."

    def add_arguments(self, parser):
        parser.add_argument("email")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", action="store_true", help="print the data as JSON")
        action.add_argument("--erase", action="store_true", help="delete the data now")

    def handle(self, *args, email: str, export: bool, erase: bool, **options):
        if "@" not in email:
            raise CommandError("give an e-mail address")
        index = subjects.subject_index(email)
        if export:
            self.stdout.write(export_json(subjects.subject_export(index=index)))
        else:
            touched = subjects.subject_erase(index=index)
            self.stdout.write(f"Erased {touched} row(s).")
