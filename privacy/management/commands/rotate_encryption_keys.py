from django.core.management.base import BaseCommand
from django.db import transaction

from privacy.registry import REGISTRY


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value with the newest key in CERCHIO_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        from privacy.fields import EncryptedTextField

        total = 0
        for entry in REGISTRY.values():
            model = entry.model
            names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            with transaction.atomic():
                # Values are decrypted on read (any listed key) and encrypted on write (newest key).
                for row in model.objects.values("pk", *names).iterator():
                    updates = {n: row[n] for n in names if row[n]}
                    if updates:
                        model.objects.filter(pk=row["pk"]).update(**updates)
                        total += 1
        self.stdout.write(f"Re-encrypted {total} record(s) with the newest key.")
