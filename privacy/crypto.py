"""Encryption of personal contact details at rest.

MultiFernet takes a list of keys, newest first: new values are written with the
first key and any listed key can still read. Rotating means prepending a new key,
running `rotate_encryption_keys`, then dropping the old one.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.CERCHIO_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: unknown key or damaged value") from error


def rotate(token: str) -> str:
    """Re-encrypt a value with the newest key."""
    return cipher().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash of a normalised value, to find a record without storing the value in clear."""
    normalised = value.strip().casefold().encode()
    return hmac.new(settings.CERCHIO_BLIND_INDEX_KEY.encode(), normalised, hashlib.sha256).hexdigest()
