from django.db import models

from privacy import crypto


class Sealed(str):
    """Text already encrypted with privacy.crypto.encrypt, stored as it is.

    For bulk writes: the rows are encrypted before the transaction that inserts them,
    so the database is not held while thousands of values are encrypted.
    """

    @classmethod
    def of(cls, value: str) -> "Sealed":
        return cls(crypto.encrypt(value))


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); the database never sees it in clear.

    It cannot be filtered on: look records up through a blind index instead.
    """

    description = "Encrypted text"
    personal_data = True

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            return str(value)
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)
