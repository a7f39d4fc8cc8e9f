"""People who sign in: the account and what they choose to tell about themselves."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from privacy.fields import EncryptedTextField


class User(AbstractUser):
    """An account. Its `email` holds a sealed pseudo-address, never the address in clear.

    Roles are not here: they are membership rows in the network app.
    """

    language = models.CharField(
        _("lingua dei messaggi"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("account")
        verbose_name_plural = pgettext_lazy("plural", "account")
        constraints = [
            # One account per address, even when two sign-ups race (accounts without an address are many).
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique", condition=~models.Q(email="")),
        ]


class Profile(models.Model):
    """What a person chooses to tell Cerchio about themselves. A nickname is enough."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    # Encrypted like the phone: a nickname may be a real name. Forms keep the lengths.
    nickname = EncryptedTextField(_("nome o nome di fantasia"), max_length=60, blank=True)
    phone = EncryptedTextField(_("telefono"), blank=True)
    organisation = EncryptedTextField(_("servizio o ente"), max_length=120, blank=True)
    # How and when the person likes to be contacted; never health details or what was said in a group.
    notes = EncryptedTextField(_("preferenze di contatto"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profilo")
        verbose_name_plural = _("profili")

    def __str__(self) -> str:
        return self.nickname or _("persona %(id)s") % {"id": self.user_id}
