from django.core.management.base import BaseCommand

from privacy.services import purge_expired


class Command(BaseCommand):
    help = "Delete personal data past its retention period (safe to run twice)."

    def handle(self, *args, **options):
        for label, count in purge_expired().items():
            self.stdout.write(f"{label}: {count}")
