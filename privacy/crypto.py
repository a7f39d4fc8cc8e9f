"""Encryption of personal contact details at rest, and keyed hashes to find them.

MultiFernet takes a list of keys, newest first: new values are written with the
first key and any listed key can still read. Rotating means prepending a new key,
running `rotate_encryption_keys`, then dropping the old one.

Keyed hashes (blind indexes) work the same way with CERCHIO_BLIND_INDEX_KEYS: new
hashes use the first key, look-ups try every key, and `rotate_blind_index_key`
re-computes the stored hashes with the newest key. Neither depends on SECRET_KEY, so
rotating SECRET_KEY after a breach locks nobody out.
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


def _blind_index_keys() -> list[str]:
    return list(settings.CERCHIO_BLIND_INDEX_KEYS)


def _hash(key: str, value: str) -> str:
    normalised = value.strip().casefold().encode()
    return hmac.new(key.encode(), normalised, hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """A keyed hash of a normalised value (newest key), to find a record without storing the value in clear."""
    return _hash(_blind_index_keys()[0], value)


def blind_indexes(value: str) -> list[str]:
    """The keyed hashes of a value under every listed key, newest first: look-ups try them all."""
    return [_hash(key, value) for key in _blind_index_keys()]
