from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLength(MinimumLengthValidator):
    """Django's check with a message Cerchio translates itself (Django 5.2's wording has no Italian)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return ngettext(
            "La password è troppo corta: serve almeno %(min_length)d carattere.",
            "La password è troppo corta: servono almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "La password deve avere almeno %(min_length)d carattere.",
            "La password deve avere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}
