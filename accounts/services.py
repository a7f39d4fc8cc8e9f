"""Creating accounts: the only place an e-mail address enters the database, sealed."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from privacy.sealing import claim, seal


@transaction.atomic
def account_create(*, email: str, password: str | None, username: str | None = None, verified: bool = True, **fields):
    """A user whose login e-mail is stored sealed, with its allauth address row."""
    pseudo = seal(email)
    user = get_user_model().objects.create_user(
        username=username or f"u-{secrets.token_hex(8)}", email=pseudo, password=password, **fields
    )
    EmailAddress.objects.create(user=user, email=pseudo, verified=verified, primary=True)
    claim(user=user)
    return user
