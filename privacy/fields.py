from django.db import models

from privacy import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); the database never sees it in clear.

    It cannot be filtered on: look records up through a blind index instead.
    """

    description = "Encrypted text"
    personal_data = True

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)
