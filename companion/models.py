"""After a meeting: how many came, what the group agreed for next time, and the facilitator's private reflection.

Nothing here holds what a participant said: counts, short practical agreements, and
ticks on the do / don't card. Every write goes through companion/services.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Meeting
from privacy.fields import EncryptedTextField


class Attendance(models.Model):
    """How many people came to a meeting, and how many of them for the first time. No names."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="attendance")
    participants = models.PositiveSmallIntegerField(_("partecipanti"))
    newcomers = models.PositiveSmallIntegerField(_("di cui nuovi"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("presenze")
        verbose_name_plural = _("presenze")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(newcomers__lte=models.F("participants")), name="newcomers_among_participants"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.participants} ({self.newcomers})"


class AgreementKind(models.TextChoices):
    OPENS = "opens", _("Chi apre il prossimo incontro")
    COMMITMENT = "commitment", _("Un impegno preso insieme")
    PRACTICAL = "practical", _("Un accordo pratico")


class Agreement(models.Model):
    """One agreement the group made at the close of `meeting`, recalled when the next one opens."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agreements")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("tipo"), max_length=20, choices=AgreementKind.choices)
    text = models.CharField(_("accordo"), max_length=140)

    class Meta:
        verbose_name = _("accordo per il prossimo incontro")
        verbose_name_plural = _("accordi per il prossimo incontro")
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class Reflection(models.Model):
    """A facilitator's private look back at a meeting: read by its author and nobody else.

    Not in the admin, never on another person's page, in its author's data export only.
    The note is encrypted at rest. The association sees anonymous totals of the ticks,
    and only of the reflections whose author chose `share_totals`.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    # Codes of the do / don't card (companion.cards.POINTS).
    went_well = models.JSONField(default=list, blank=True)
    hard = models.JSONField(default=list, blank=True)
    note = EncryptedTextField(_("nota"), blank=True)
    share_totals = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("riflessione personale")
        verbose_name_plural = _("riflessioni personali")
        ordering = ["-meeting__starts_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "author"], name="one_reflection_per_meeting")]

    def __str__(self) -> str:
        return f"reflection {self.pk}"  # never the note, never the author
