"""The outbox: every e-mail Cerchio sends is first a row here, and periodic job slots."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("In attesa")
    SENDING = "sending", _("In invio")
    SENT = "sent", _("Inviato")
    CANCELLED = "cancelled", _("Annullato")
    FAILED = "failed", _("Non riuscito")


def due_condition(now) -> models.Q:
    """Pending and due, or abandoned by a worker that stopped: what a worker may take now."""
    return models.Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | models.Q(
        status=OutboxStatus.SENDING, lease_until__lt=now
    )


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now):
        """Messages a worker may take now: pending and due, or abandoned by a worker that stopped."""
        return self.filter(due_condition(now))


class OutboxMessage(models.Model):
    """One e-mail to send, written in the same transaction as the change that causes it."""

    kind = models.CharField(_("tipo"), max_length=80)
    key = models.CharField(_("chiave"), max_length=200)
    recipient = EncryptedTextField(_("destinatario"))
    # Keyed hash of the address: finds a person's messages for export and erasure without an account.
    recipient_index = models.CharField(max_length=64, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("lingua"), max_length=8, choices=settings.LANGUAGES)
    # Ids and plain values only: never what a person said, never health details.
    context = models.JSONField(_("contesto"), default=dict, blank=True)
    association_id = models.PositiveBigIntegerField(_("associazione"), null=True, blank=True, db_index=True)
    status = models.CharField(_("stato"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), default=timezone.now)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("ultimo errore"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)
    sent_at = models.DateTimeField(_("inviato il"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("messaggio in uscita")
        verbose_name_plural = _("messaggi in uscita")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="outbox_kind_key_unique")]
        indexes = [
            # Workers look for work in two small partial indexes. Rows that were sent leave them, so a
            # queue of 100,000 reminders does not make each look walk past the ones already sent.
            # The lease index leaves out the id: with it, PostgreSQL would pick this index to find a
            # single message by id while few rows are sending.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status=OutboxStatus.PENDING),
                name="outbox_pending_due",
            ),
            models.Index(
                fields=["lease_until"], condition=models.Q(status=OutboxStatus.SENDING), name="outbox_sending_lease"
            ),
            # A plain index (PostgreSQL would add a second, LIKE-only one for db_index=True).
            models.Index(fields=["recipient_index"], name="outbox_recipient_index"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.status})"


class PeriodicRun(models.Model):
    """One row per periodic job and time slot: the unique pair makes each slot run once."""

    name = models.CharField(max_length=80)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_name_slot_unique")]

    def __str__(self):
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"
