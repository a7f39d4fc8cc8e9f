"""Rotating the keys of data at rest: the encryption keys and the blind-index keys.

Both read with every listed key and write with the newest, so a rotation is: prepend
a new key, run the command (which rewrites every stored value with the newest key),
then remove the old key. Nothing here depends on SECRET_KEY.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from privacy import crypto
from privacy.models import SealedEmail
from privacy.registry import REGISTRY
from privacy.sealing import SEALED_DOMAIN, is_sealed, pseudo_candidates

# Fields of allauth.mfa's Authenticator.data that hold secrets (TOTP key, recovery-code seed
# and codes migrated from older versions); the rest (used-code mask, WebAuthn public data) is not secret.
MFA_SECRET_FIELDS = ("secret", "seed")
MFA_SECRET_LISTS = ("migrated_codes",)
_FERNET_PREFIX = "gAAAAA"  # every Fernet token starts with version byte 0x80 and a timestamp


def mfa_data_transform(data: dict, transform) -> dict:
    """A copy of an Authenticator's data with `transform` applied to each secret."""
    data = dict(data or {})
    for name in MFA_SECRET_FIELDS:
        if isinstance(data.get(name), str) and data[name]:
            data[name] = transform(data[name])
    for name in MFA_SECRET_LISTS:
        if isinstance(data.get(name), list):
            data[name] = [transform(value) for value in data[name]]
    return data


def encrypt_if_clear(value: str) -> str:
    """Encrypt a second-factor secret still stored in clear (base32 or hex never looks like a token)."""
    return value if value.startswith(_FERNET_PREFIX) else crypto.encrypt(value)


@transaction.atomic
def encryption_rotate() -> int:
    """Re-encrypt every encrypted value with the newest key. Returns the rows rewritten."""
    from allauth.mfa.models import Authenticator

    from privacy.fields import EncryptedTextField

    total = 0
    for entry in REGISTRY.values():
        model = entry.model
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not names:
            continue
        # Values are decrypted on read (any listed key) and encrypted on write (newest key).
        for row in model.objects.values("pk", *names).iterator():
            updates = {name: row[name] for name in names if row[name]}
            if updates:
                model.objects.filter(pk=row["pk"]).update(**updates)
                total += 1
    for authenticator in Authenticator.objects.all():
        rotated = mfa_data_transform(authenticator.data, crypto.rotate)
        if rotated != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=rotated)
            total += 1
    return total


def _rekey_sealed_emails() -> tuple[dict[str, str], int]:
    """New pseudo-addresses for SealedEmail rows; returns {old: new} and rows rewritten."""
    renamed: dict[str, str] = {}
    rewritten = 0
    for row in SealedEmail.objects.order_by("pk"):
        new = pseudo_candidates(row.address)[0]
        if new == row.pseudo:
            continue
        renamed[row.pseudo] = new
        current = SealedEmail.objects.filter(pseudo=new).first()
        if current is not None:
            # The same address was sealed again under the new key: keep one row, the account's.
            if current.user_id is None or current.user_id == row.user_id:
                current.delete()
            else:
                row.delete()
                continue
        SealedEmail.objects.filter(pk=row.pk).update(pseudo=new)
        rewritten += 1
    return renamed, rewritten


@transaction.atomic
def blind_index_rotate() -> dict[str, int]:
    """Compute every stored keyed hash afresh with the newest blind-index key.

    The hashes cannot be reversed, so each is computed again from the encrypted value it
    stands for. Returns the rows rewritten per kind, and "unresolved": hashes whose value is
    not stored any more (keep the old key listed while that is not 0).
    """
    from allauth.account.models import EmailAddress

    counts = {}
    renamed, counts["privacy.sealedemail"] = _rekey_sealed_emails()
    unresolved = 0
    users = get_user_model().objects
    counts["accounts.user"] = 0
    for pk, email in users.filter(email__endswith="@" + SEALED_DOMAIN).values_list("pk", "email"):
        if email in renamed:
            users.filter(pk=pk).update(email=renamed[email])
            counts["accounts.user"] += 1
        elif not SealedEmail.objects.filter(pseudo=email).exists():
            unresolved += 1
    counts["account.emailaddress"] = 0
    for address in EmailAddress.objects.all():
        if not is_sealed(address.email):
            continue
        if address.email in renamed:
            new = renamed[address.email]
            if EmailAddress.objects.filter(user_id=address.user_id, email=new).exists():
                address.delete()  # the same address, already under the new key
            else:
                EmailAddress.objects.filter(pk=address.pk).update(email=new)
            counts["account.emailaddress"] += 1
        elif not SealedEmail.objects.filter(pseudo=address.email).exists():
            unresolved += 1
    for label, entry in REGISTRY.items():
        if not entry.email_index:
            continue
        if not entry.email_field:
            raise LookupError(f"{label} has a keyed hash but no email_field to compute it from")
        counts[label] = 0
        rows = entry.model.objects.exclude(**{entry.email_index: ""})
        for pk, value, index in rows.values_list("pk", entry.email_field, entry.email_index):
            if not value:
                unresolved += 1
                continue
            new = crypto.blind_index(value)
            if new != index:
                entry.model.objects.filter(pk=pk).update(**{entry.email_index: new})
                counts[label] += 1
    counts["unresolved"] = unresolved
    return counts
