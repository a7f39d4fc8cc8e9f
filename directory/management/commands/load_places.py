from django.core.management.base import BaseCommand

from directory.places import load_gazetteer


class Command(BaseCommand):
    help = "Load Italy's towns into the offline gazetteer (idempotent)."

    def handle(self, *args, **options):
        loaded = load_gazetteer()
        self.stdout.write(f"Gazetteer: {loaded} towns loaded." if loaded else "Gazetteer already loaded.")
