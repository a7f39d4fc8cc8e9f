from django.core.management.base import BaseCommand

from privacy.keys import blind_index_rotate


class Command(BaseCommand):
    help = (
        "Compute every keyed hash (sealed login addresses, invitations, outbox) afresh with the newest "
        "key in CERCHIO_BLIND_INDEX_KEYS. Then the older keys can be removed."
    )

    def handle(self, *args, **options):
        counts = blind_index_rotate()
        unresolved = counts.pop("unresolved")
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        if unresolved:
            self.stderr.write(
                f"{unresolved} keyed hash(es) have no stored value to compute them from: keep the old key listed."
            )
        else:
            self.stdout.write("Every keyed hash uses the newest key: the older keys can be removed.")
