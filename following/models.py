"""Following a group: who follows, what they follow, and what followers were last told.

A follower is a person with an account or an e-mail address confirmed by double opt-in
(encrypted, found through a keyed hash like Invitation and OutboxMessage). Nothing here
says why someone follows a group, and leaving deletes the row.
"""

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Group, Meeting
from privacy.fields import EncryptedTextField


def _new_secret() -> str:
    return secrets.token_hex(8)


class Follower(models.Model):
    """A person who receives reminders and change notices: an account, or an address only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="follower"
    )
    email = EncryptedTextField(_("e-mail"), blank=True)
    # Keyed hash of the address: finds the follower for a second follow, export and erasure.
    email_index = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(_("lingua"), max_length=8, choices=settings.LANGUAGES, default="it")
    reminders = models.BooleanField(_("promemoria prima degli incontri"), default=True)
    # Part of every link sent to this follower: changing it voids every older link.
    secret = models.CharField(max_length=16, default=_new_secret)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chi segue")
        verbose_name_plural = _("chi segue")
        constraints = [
            models.UniqueConstraint(
                fields=["email_index"], condition=~models.Q(email_index=""), name="one_follower_per_address"
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email_index=""), name="follower_has_a_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"follower {self.pk}"

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.email


class FollowQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False)


class Follow(models.Model):
    """One group followed by one follower; confirmed by the link in an e-mail when by address only."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="follows")
    group = models.ForeignKey(Group, verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("gruppo seguito")
        verbose_name_plural = _("gruppi seguiti")
        constraints = [models.UniqueConstraint(fields=["follower", "group"], name="one_follow_per_group")]
        indexes = [models.Index(fields=["group", "confirmed_at"], name="follow_group_confirmed")]

    def __str__(self) -> str:
        return f"{self.follower} → {self.group}"


class ReminderPlan(models.Model):
    """When a group's followers are reminded; a group without a plan uses the default (the day before at 18:00)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="reminder_plan")
    day_before_at = models.TimeField(_("il giorno prima, alle"), null=True, blank=True, default=time(18, 0))
    hours_before = models.PositiveSmallIntegerField(_("ore prima"), null=True, blank=True)

    class Meta:
        verbose_name = _("promemoria del gruppo")
        verbose_name_plural = _("promemoria dei gruppi")

    def __str__(self) -> str:
        return f"{self.group}: {self.day_before_at} / {self.hours_before}h"


class MeetingAnnouncement(models.Model):
    """The public state of a meeting as followers last heard it, and its version.

    A change notice goes out when the meeting's current state differs from this one after
    a quiet period; a change undone in the meantime compares equal and sends nothing. Its
    foreign key also keeps the meeting row when a new rhythm drops its date, so followers
    can be told.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="announcement")
    state = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    # The meeting's updated_at when last compared: only rows changed since are looked at again.
    seen_updated_at = models.DateTimeField()
    announced_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.version}"


class ReminderRun(models.Model):
    """One row per meeting, reminder and start time once its reminders are queued: the next pass skips it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    slot = models.CharField(max_length=16)
    starts_at = models.DateTimeField()
    queued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "slot", "starts_at"], name="one_reminder_run"),
        ]
