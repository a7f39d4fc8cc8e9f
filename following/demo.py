"""Demo followers: people known only by e-mail (at example.org) following a few demo groups.

The worker sends them what it sends everyone: the reminder the day before at 18:00 (one
group also reminds two hours before), and a notice a few minutes after the demo moves one
of their meetings. `make demo` writes those messages to its mail folder.
"""

from datetime import time, timedelta

from network.demo import demo_step

FOLLOWERS = [
    ("giulia.demo@example.org", "it"),
    ("marco.demo@example.org", "it"),
    ("sam.demo@example.org", "en"),
]


@demo_step(50)
def demo_followers(result: dict, *, today=None) -> None:
    from django.utils import timezone

    from following import services, tokens
    from following.models import Follow, ReminderPlan
    from network.services import meeting_move

    groups = [group for group in result["groups"] if group.status in services.FOLLOWABLE][:4]
    first_time = not Follow.objects.filter(group__in=groups).exists()
    for number, group in enumerate(groups):
        for email, language in FOLLOWERS[: 3 if number < 2 else 1]:
            follow = services.follow_request(group=group, email=email, language=language)
            if follow is not None:  # new: confirmed as the person would, with the link in the e-mail
                token = tokens.confirm_token(follow_id=follow.pk, secret=follow.follower.secret)
                services.follow_confirm(token=token)
    if groups and not ReminderPlan.objects.filter(group=groups[0]).exists():
        # Through the service, as the workspace page does: the group's history says who chose it.
        services.reminder_plan_set(group=groups[0], day_before_at=time(18, 0), hours_before=2, by=None)
    if first_time and len(groups) > 1:
        # A change the followers hear about once the meeting has been quiet for a few minutes.
        meeting = (
            groups[1]
            .meetings.filter(starts_at__gte=timezone.now() + timedelta(days=3), is_scheduled=True, is_cancelled=False)
            .order_by("starts_at")
            .first()
        )
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            meeting_move(
                meeting=meeting,
                new_date=local.date(),
                new_time=(local - timedelta(minutes=30)).time(),
                note="Questa volta si comincia mezz'ora prima.",
                by=None,
            )
