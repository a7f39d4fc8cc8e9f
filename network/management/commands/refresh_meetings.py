from django.core.management.base import BaseCommand

from network.services import meetings_refresh_all


class Command(BaseCommand):
    help = "Move every group's meeting horizon forward; run it daily."

    def handle(self, *args, **options):
        count = meetings_refresh_all()
        self.stdout.write(f"Meetings refreshed for {count} groups.")
