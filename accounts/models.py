"""Who may do what: membership rows with a role, one table per scope."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField


class AssociationRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinatore")
    INTAKE = "intake", _("operatore dell'accoglienza")
    # A social worker or clinic, registered by the association, who refers people with their consent.
    REFERRER = "referrer", _("professionista inviante")


# Roles whose holders must use a second factor to sign in.
MFA_ROLES = {AssociationRole.COORDINATOR, AssociationRole.INTAKE}


class GroupRole(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitatore")
    PARTICIPANT = "participant", _("partecipante")


class Profile(models.Model):
    """What a person chooses to tell Cerchio about themselves. A nickname is enough."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    nickname = models.CharField(_("nome o nome di fantasia"), max_length=60, blank=True)
    phone = EncryptedTextField(_("telefono"), blank=True)
    organisation = models.CharField(_("servizio o ente"), max_length=120, blank=True)
    # How and when the person likes to be contacted; never health details or what was said in a group.
    notes = EncryptedTextField(_("preferenze di contatto"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profilo")
        verbose_name_plural = _("profili")

    def __str__(self) -> str:
        return self.nickname or _("persona %(id)s") % {"id": self.user_id}


class AssociationMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_memberships")
    association = models.ForeignKey(
        "directory.Association", verbose_name=_("associazione"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=AssociationRole.choices)

    class Meta:
        verbose_name = _("ruolo nell'associazione")
        verbose_name_plural = _("ruoli nelle associazioni")
        constraints = [
            models.UniqueConstraint(fields=["user", "association", "role"], name="one_association_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.association}"


class GroupMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    group = models.ForeignKey(
        "directory.Group", verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=GroupRole.choices, default=GroupRole.FACILITATOR)

    class Meta:
        verbose_name = _("ruolo nel gruppo")
        verbose_name_plural = _("ruoli nei gruppi")
        constraints = [models.UniqueConstraint(fields=["user", "group", "role"], name="one_group_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.group}"
