"""Demo data for starting groups: a grief group being started by open invitation,
"starting soon" with its first meeting in three weeks and all its agreements made.

Through the services only, and idempotent: running the demo again changes nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from network.demo import demo_step

SLUG = "demo-avvio-lutto-pergine"
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@demo_step(40)
def founding_demo(result: dict, *, today=None) -> None:
    from founding import services
    from founding.models import FoundingPath
    from network.agreements import group_agreements_set
    from network.models import Entry, FacilitatorKind, Group, GroupStatus, Joining, StartMode, Theme
    from network.services import group_set_status, group_update, schedule_create

    if FoundingPath.objects.filter(group__slug=SLUG).exists():
        return
    association = result["association"]
    coordinator = result.get("users", {}).get("coordinator")
    today = today or timezone.localdate()
    first_day = today + timedelta(days=21)
    first_at = datetime.combine(first_day, time(20, 30), tzinfo=ZoneInfo(settings.CERCHIO_DEFAULT_TIMEZONE))
    venue = association.venues.filter(comune="Pergine Valsugana").order_by("name").first() or association.venues.first()

    path = services.founding_start(
        association=association,
        start_mode=StartMode.OPEN_INVITATION,
        name="Dopo una perdita – Pergine Valsugana",
        description=(
            "Un nuovo gruppo per chi ha perso una persona cara. Nel gruppo si può parlare del proprio dolore "
            "con chi lo conosce. Il primo incontro è aperto a tutte le persone interessate."
        ),
        themes=list(Theme.objects.filter(slug="lutto")),
        by=coordinator,
    )
    group = path.group
    Group.objects.filter(pk=group.pk).update(slug=SLUG)  # a stable address for the demo
    group.refresh_from_db()
    group_update(group=group, venue=venue, by=coordinator)
    schedule_create(
        group=group,
        rrule=f"FREQ=WEEKLY;INTERVAL=2;BYDAY={WEEKDAY_CODES[first_day.weekday()]}",
        start_time=time(20, 30),
        duration_minutes=120,
        starts_on=first_day,
        by=coordinator,
    )
    group_agreements_set(
        group=group,
        by=coordinator,
        entry=Entry.OPEN,
        joining=Joining.INTAKE_TALK,
        max_size=12,
        family_may_attend=False,
        facilitator_kind=FacilitatorKind.PEER,
        facilitator_count=2,
        ama_rules_accepted=True,
        own_rules="I telefoni restano spenti durante l'incontro.\nChi non può venire avvisa l'associazione.",
        contact_through_association=True,
        self_led=True,
        meets_regularly=True,
        voluntary=True,
        not_for_profit=True,
        confidential=True,
        first_meeting_at=first_at,
    )
    for step in ("theme", "facilitator", "venue", "poster", "press"):
        services.founding_step_tick(path=path, step=step, by=coordinator)
    services.founding_invitations_record(path=path, count=60, by=coordinator)
    group_set_status(group=group, status=GroupStatus.PROMOTING, by=coordinator)


@demo_step(70)
def founding_on_request_demo(result: dict, *, today=None) -> None:
    """A group started *su richiesta* from the demand board: the people asking about loneliness in Trento.

    It runs after intake's unmet-demand demo (order 60), which writes their waiting requests.
    """
    from founding.models import FoundingPath
    from founding.services import founding_start_on_request
    from intake.models import DemandRecord
    from network.models import StartMode

    association = result["association"]
    if FoundingPath.objects.filter(group__association=association, start_mode=StartMode.ON_REQUEST).exists():
        return
    waiting = list(
        DemandRecord.objects.filter(association=association, theme__slug="solitudine", area="Trento", group=None)
    )
    if not waiting:
        return
    founding_start_on_request(
        association=association,
        theme=waiting[0].theme,
        records=waiting,
        name="Non più soli – Trento",
        description="Un nuovo gruppo per chi si sente solo, nato dalle richieste arrivate all'associazione.",
        by=result.get("users", {}).get("coordinator"),
    )
