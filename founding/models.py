"""Starting a group: the way it starts, the steps ticked off, the promotion counts, the follow-up.

The agreements themselves live in the network (network.GroupAgreements), because the
lifecycle service reads them to gate activation. Here: the path that leads there.
Counts only, never the names of the people invited or of those who asked.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Association, Group, StartMode


class FollowUpSettings(models.Model):
    """An association's defaults for following a new group (Bern's practice, adjustable)."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="founding_settings")
    accompanied_meetings = models.PositiveSmallIntegerField(
        _("primi incontri accompagnati dall'associazione"), default=3
    )
    review_after_months = models.PositiveSmallIntegerField(_("verifica dopo (mesi)"), default=6)
    checkin_every_months = models.PositiveSmallIntegerField(_("contatto con il facilitatore ogni (mesi)"), default=12)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("impostazioni per il seguito dei nuovi gruppi")
        verbose_name_plural = _("impostazioni per il seguito dei nuovi gruppi")

    def __str__(self) -> str:
        return str(self.association)


class FoundingPath(models.Model):
    """A group's way into the network: one of the five ways, with its checklist."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="founding_path")
    start_mode = models.CharField(_("via di avvio"), max_length=20, choices=StartMode.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Counts only: how many invitations went out (targeted or open), never to whom.
    invitations_sent = models.PositiveIntegerField(_("inviti inviati"), default=0)
    # On request: how many people had asked for the group when it was started from the demand board.
    requesters_count = models.PositiveIntegerField(_("persone che avevano chiesto il gruppo"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("percorso di avvio")
        verbose_name_plural = _("percorsi di avvio")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_start_mode_display()})"


class StepTick(models.Model):
    """One step of the path ticked off: which, by whom, when."""

    path = models.ForeignKey(FoundingPath, on_delete=models.CASCADE, related_name="ticks")
    step = models.CharField(max_length=60)
    ticked_at = models.DateTimeField(auto_now_add=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("passo completato")
        verbose_name_plural = _("passi completati")
        constraints = [models.UniqueConstraint(fields=["path", "step"], name="one_tick_per_step")]

    def __str__(self) -> str:
        return f"{self.path_id}:{self.step}"


class MilestoneKind(models.TextChoices):
    ACCOMPANY = "accompany", _("l'associazione accompagna l'incontro")
    REVIEW = "review", _("verifica del gruppo")
    CHECKIN = "checkin", _("contatto annuale con il facilitatore")


class MilestoneDone(models.Model):
    """A follow-up milestone marked done. Due dates are computed (founding/milestones.py)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="milestones_done")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    number = models.PositiveSmallIntegerField(default=1)
    due_on = models.DateField()
    done_at = models.DateTimeField(auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tappa del seguito fatta")
        verbose_name_plural = _("tappe del seguito fatte")
        constraints = [
            models.UniqueConstraint(fields=["group", "kind", "number"], name="one_done_per_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.kind} {self.number}"
