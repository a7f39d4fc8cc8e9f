"""Who may do what: membership rows with a role, one table per scope."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinatore")
    INTAKE = "intake", _("operatore dell'accoglienza")


class GroupRole(models.TextChoices):
    FACILITATOR = "facilitator", _("facilitatore")


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
