from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from network.demo import DEMO_PASSWORD, DEMO_USERS, run_demo_steps, seed_demo


class Command(BaseCommand):
    help = "Load the demo association, its groups and demo logins (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo data cannot be loaded in production.")
        autodiscover_modules("demo")  # each app's demo.py registers its steps
        with transaction.atomic():
            result = seed_demo()
            run_demo_steps(result)
        self.stdout.write(f"Demo: {result['association']} with {len(result['groups'])} groups.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _role, description in DEMO_USERS:
            self.stdout.write(f"  {email:34} {description}")
