from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = _("Seguire un gruppo")

    def ready(self):
        from following import messages, tasks
        from notifications.kinds import register_kind
        from notifications.periodic import register_periodic
        from privacy.registry import register

        register_kind(
            "follow_confirm",
            template="follow_confirm",
            still_wanted=messages.follow_is_pending,
            build_context=messages.follow_confirm_context,
            sample_context=messages.FOLLOW_CONFIRM_SAMPLE,
            forget_when_sent=True,
        )
        register_kind(
            "reminder", template="reminder", prepare=messages.prepare_reminders, sample_context=messages.REMINDER_SAMPLE
        )
        register_kind(
            "change_notice",
            template="change_notice",
            prepare=messages.prepare_notices,
            sample_context=messages.NOTICE_SAMPLE,
        )
        register_periodic("queue_reminders", task=tasks.queue_reminders_task, every=timedelta(minutes=1))
        register_periodic("announce_changes", task=tasks.announce_changes_task, every=timedelta(minutes=1))
        register(
            "following.follower",
            owners=("user",),
            email_index="email_index",
            email_field="email",
            export_fields=("language", "reminders", "created_at", "follows__group__name", "follows__confirmed_at"),
            why="people who follow groups: an account, or an encrypted address confirmed by e-mail",
        )
        register(
            "following.follow",
            owners=("follower__user",),
            export_fields=("group__name", "created_at", "confirmed_at"),
            # People known by e-mail only are found through their Follower row (the follows go with it).
            why="the groups a person follows; deleted when they stop following",
        )
