from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField


class AuditAction(models.TextChoices):
    LOGIN = "login", _("accesso")
    LOGIN_FAILED = "login_failed", _("accesso non riuscito")
    LOGOUT = "logout", _("uscita")
    MFA_ADDED = "mfa_added", _("secondo fattore aggiunto")
    MFA_REMOVED = "mfa_removed", _("secondo fattore rimosso")
    MFA_RESET = "mfa_reset", _("codici di recupero rigenerati")
    PASSWORD_CHANGED = "password_changed", _("password cambiata")
    PASSWORD_RESET = "password_reset", _("password reimpostata")
    AUTHORIZATION_FAILED = "authorization_failed", _("accesso negato")
    VIEWED = "viewed", _("dati personali visti")
    EXPORTED = "exported", _("dati personali esportati")
    CHANGED = "changed", _("dati personali modificati")
    DELETED = "deleted", _("dati personali cancellati")


class AuditEvent(models.Model):
    """Who did what to whose data, and when (UTC).

    Append-only from the application: rows are never changed. It holds references
    (user ids, object types and ids), never the personal data itself. Only erasure
    and retention remove rows, through privacy.services.
    """

    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_as_actor",
    )
    action = models.CharField(_("azione"), max_length=30, choices=AuditAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("di chi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_as_subject",
    )
    object_type = models.CharField(_("tipo di oggetto"), max_length=60, blank=True)
    # A primary key, or for a refused page the URL name and its arguments.
    object_id = models.CharField(_("oggetto"), max_length=200, blank=True)
    # The association the object belongs to (a plain id: privacy knows nothing of network),
    # so its coordinators find the event; empty for personal events (logins, second factor).
    association_id = models.PositiveBigIntegerField(_("associazione"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("evento di audit")
        verbose_name_plural = _("registro di audit")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are removed only by erasure and retention")


class SealedEmail(models.Model):
    """An e-mail address kept encrypted, found through a keyed hash.

    Accounts store only `pseudo` (a keyed hash shaped like an address) as their
    login e-mail, so a database dump shows no address in clear; the real one is
    decrypted only to send a message.
    """

    pseudo = models.CharField(max_length=120, unique=True)
    address = EncryptedTextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="sealed_emails"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indirizzo e-mail cifrato")
        verbose_name_plural = _("indirizzi e-mail cifrati")

    def __str__(self) -> str:
        return self.pseudo
