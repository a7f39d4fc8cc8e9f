"""Demo: the demo facilitator's groups have met for a few weeks, with counts, agreements and a reflection."""

from datetime import timedelta

from network.demo import demo_step

# How far back the demo facilitator's groups have been meeting.
DEMO_PAST_DAYS = 70
# Participants at each past meeting, oldest first: the first group keeps above its maximum.
COUNTS = {0: [13, 14, 11, 13, 14, 15, 13, 14, 13, 14], 1: [6, 7, 5, 8, 7, 6, 7, 8, 6, 7]}
AGREEMENTS = [
    ("opens", "Apre Giulia, che ha chiesto di cominciare lei."),
    ("practical", "Portare le sedie dalla sala accanto: saremo di più."),
    ("commitment", "Chi può, passa parola del gruppo al centro diurno."),
]


@demo_step(20)
def companion_demo(result: dict, *, today=None) -> None:
    from django.utils import timezone

    from companion import services
    from companion.models import Attendance, Reflection
    from network import services as network_services

    today = today or timezone.localdate()
    facilitator = result["users"]["facilitator"]
    for index, group in enumerate(result["groups"][:2]):
        # The demo is seeded fresh: bring the meetings of the last weeks into the calendar
        # (the rule has been running since 2025), then the horizon back to today.
        network_services.group_sync_meetings(group=group, today=today - timedelta(days=DEMO_PAST_DAYS))
        network_services.group_sync_meetings(group=group, today=today)
        past = list(
            group.meetings.filter(is_scheduled=True, is_cancelled=False, starts_at__lte=timezone.now()).order_by(
                "starts_at"
            )
        )
        counts = COUNTS[index]
        for number, meeting in enumerate(past[-len(counts) :]):
            if Attendance.objects.filter(meeting=meeting).exists():
                continue
            participants = counts[number % len(counts)]
            items = [services.AgreementItem(kind=kind, text=text) for kind, text in AGREEMENTS[: 1 + number % 3]]
            services.meeting_close(
                meeting=meeting,
                participants=participants,
                newcomers=number % 3,
                agreements=items,
                by=facilitator,
            )
        if past and not Reflection.objects.filter(meeting=past[-1], author=facilitator).exists():
            services.reflection_save(
                meeting=past[-1],
                went_well=["do7", "do9"],
                hard=["dont7"],
                note="Ho parlato più del solito: la prossima volta lascio più silenzio.",
                share_totals=True,
                by=facilitator,
            )
