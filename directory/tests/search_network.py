"""A seeded network for pinning what the directory search answers, on a frozen clock.

The demo network (40 groups, 15 themes, a cancelled and a moved meeting, online and
hybrid groups, one being started, English names) and a few groups the demo lacks:
accented towns, two schedules one of them in another time zone, a group with no
planned meetings, and a closed group that must never be found.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from directory.demo import public_pages
from network import services
from network.demo import seed_demo
from network.models import GroupStatus, Schedule, Theme
from network.tests.factories import VenueFactory, make_group

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Rome"))  # a Monday morning


def seed_search_network() -> None:
    """Call with the clock at NOW."""
    result = seed_demo(today=TODAY)
    public_pages(result)
    association = result["association"]
    themes = {theme.slug: theme for theme in Theme.objects.all()}

    def venue(comune: str, latitude: float, longitude: float, province: str):
        return VenueFactory(
            association=association, comune=comune, latitude=latitude, longitude=longitude, province=province
        )

    make_group(
        association=association,
        slug="azzardo-forli",
        name="Gioco d'azzardo – Forlì",
        name_en="Gambling – Forlì",
        description="Per chi vuole smettere con l'azzardo: ci si ascolta senza giudizio.",
        themes=[themes["gioco-azzardo"]],
        venue=venue("Forlì", 44.22177, 12.04144, "FC"),
        rule="FREQ=WEEKLY;BYDAY=TH",
        at=time(18, 0),
        today=TODAY,
    )
    cantu = make_group(
        association=association,
        slug="lavoro-cantu",
        name="Difficoltà al lavoro – Cantù",
        description="Per chi vive lo stress del lavoro e la paura di perderlo.",
        themes=[themes["difficolta-lavorativa"], themes["ansia-depressione"]],
        venue=venue("Cantù", 45.73857, 9.12558, "CO"),
        rule="FREQ=WEEKLY;BYDAY=TU",
        at=time(20, 30),
        today=TODAY,
    )
    # A second rhythm, kept in another time zone: its times are shown in that zone.
    Schedule.objects.create(
        group=cantu, rrule="FREQ=WEEKLY;BYDAY=SA", starts_on=date(2025, 1, 1), start_time=time(9, 0), timezone="UTC"
    )
    services.group_sync_meetings(group=cantu, today=TODAY)
    # Its next meeting is held in another town.
    elsewhere = venue("Como", 45.80819, 9.0832, "CO")
    first = cantu.meetings.filter(starts_at__gte=NOW, is_scheduled=True).order_by("starts_at").first()
    services.meeting_change_venue(meeting=first, venue=elsewhere, note="Questa volta a Como.", by=None)
    make_group(
        association=association,
        slug="alcol-da-definire",
        name="Alcol – date da definire",
        themes=[themes["alcol"]],
        starts_on=date(2030, 1, 1),
        today=TODAY,
    )
    make_group(
        association=association,
        slug="alcol-chiuso",
        name="Alcol – gruppo chiuso",
        themes=[themes["alcol"]],
        status=GroupStatus.CLOSED,
        today=TODAY,
    )
