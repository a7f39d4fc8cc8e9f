from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Load the demo association, its groups and demo logins (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo data cannot be loaded in production.")
        result = seed_demo()
        self.stdout.write(f"Demo: {result['association']} with {len(result['groups'])} groups.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _role, description in DEMO_USERS:
            self.stdout.write(f"  {email:34} {description}")
