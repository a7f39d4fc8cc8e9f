"""Login e-mail addresses at rest: sealed, never in clear.

An address becomes a "pseudo-address" `<keyed hash>@sealed.cerchio.invalid`, which
django-allauth stores and compares like any address, while the real one lives
encrypted in SealedEmail. The same address always gives the same pseudo-address,
so signing in, sign-up uniqueness and password reset work by equality.
"""

from django.contrib.auth import get_user_model

from privacy.crypto import blind_indexes
from privacy.models import SealedEmail

SEALED_DOMAIN = "sealed.cerchio.invalid"


def is_sealed(address: str) -> bool:
    return address.strip().lower().endswith("@" + SEALED_DOMAIN)


def pseudo_candidates(address: str) -> list[str]:
    """The pseudo-addresses of an address under every blind-index key, newest first."""
    return [f"{digest[:40]}@{SEALED_DOMAIN}" for digest in blind_indexes(address.strip().lower())]


def pseudo_for(address: str) -> str:
    """The pseudo-address for an address, without storing anything (for look-ups).

    While a blind-index key is being rotated, an address may still be stored under an
    older key: the stored pseudo-address wins, so nobody is locked out before
    `rotate_blind_index_key` has run. Otherwise the newest key gives it.
    """
    if not address or is_sealed(address):
        return address.strip().lower()
    candidates = pseudo_candidates(address)
    if len(candidates) > 1:
        from allauth.account.models import EmailAddress

        stored = (
            set(SealedEmail.objects.filter(pseudo__in=candidates).values_list("pseudo", flat=True))
            | set(EmailAddress.objects.filter(email__in=candidates).values_list("email", flat=True))
            | set(get_user_model().objects.filter(email__in=candidates).values_list("email", flat=True))
        )
        for candidate in candidates:
            if candidate in stored:
                return candidate
    return candidates[0]


def seal(address: str, *, user=None) -> str:
    """Store the address encrypted and return its pseudo-address."""
    if not address or is_sealed(address):
        return pseudo_for(address)
    pseudo = pseudo_for(address)
    defaults = {"address": address.strip().lower()}
    if user is not None:
        defaults["user"] = user
    SealedEmail.objects.update_or_create(pseudo=pseudo, defaults=defaults)
    return pseudo


def unseal(address: str) -> str:
    """The real address behind a pseudo-address (unchanged if it is not one)."""
    if not address or not is_sealed(address):
        return address
    row = SealedEmail.objects.filter(pseudo=address.strip().lower()).first()
    return row.address if row is not None else address


def claim(*, user) -> None:
    """Link the sealed addresses of a new account to it (for export and erasure)."""
    from allauth.account.models import EmailAddress

    pseudos = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) | {user.email}
    SealedEmail.objects.filter(pseudo__in=pseudos, user__isnull=True).update(user=user)
