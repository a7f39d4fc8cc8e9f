from django.core.management.base import BaseCommand

from privacy.keys import encryption_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value, second-factor secrets included, with the newest encryption key."

    def handle(self, *args, **options):
        total = encryption_rotate()
        self.stdout.write(f"Re-encrypted {total} record(s) with the newest key.")
