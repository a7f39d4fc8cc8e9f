"""Demo data for unmet demand and the intake figures (a step of `manage.py seed_demo`).

- Unmet demand: seven people around Rovereto have asked for a group for new mothers,
  which the demo network does not have; the board shows the area past the threshold.
  Two of them are still waiting with an e-mail address, so starting the group and
  giving it a first meeting sends them the news. A few more requests stay below the
  threshold (loneliness in Trento) or below the smallest published count (Cles).
- The figures: a year of past requests, already closed and without personal data
  (as retention leaves them), so the figures page has something to show.

Everything is invented except the towns and their coordinates. Safe to run again.
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from intake.models import DemandRecord, IntakeRequest, Outcome, Relationship, RequestState
from network import services
from network.demo import demo_step
from network.models import Theme
from privacy.crypto import blind_index

NEW_THEME = ("neomamme", "Neomamme", "New mothers")
# (town, latitude, longitude, months ago, e-mail of a person still waiting or "")
NEW_MOTHERS = [
    ("Rovereto", 45.8904, 11.04053, 0, "giulia.demo@example.org"),
    ("Rovereto", 45.8904, 11.04053, 1, "martina.demo@example.org"),
    ("Mori", 45.85187, 10.98052, 1, ""),
    ("Ala", 45.76072, 11.00458, 2, ""),
    ("Arco", 45.91772, 10.88672, 3, ""),
    ("Rovereto", 45.8904, 11.04053, 4, ""),
    ("Riva del Garda", 45.88577, 10.84117, 5, ""),
]
FEW = [
    ("solitudine", "Trento", 46.06787, 11.12108, 4),
    ("neomamme", "Cles", 46.36294, 11.03276, 2),
]
# Outcomes of the past year's requests, in turn: most join a group.
HISTORY_OUTCOMES = [
    Outcome.JOINED,
    Outcome.JOINED,
    Outcome.NOT_INTERESTED,
    Outcome.JOINED,
    Outcome.UNREACHABLE,
    Outcome.REFERRED,
    Outcome.JOINED,
    Outcome.WITHDRAWN,
]
HISTORY_THEMES = ["lutto", "alcol", "ansia-depressione", "alzheimer-demenze", "gioco-azzardo", "separazione-divorzio"]


def _request(association, *, reference, theme, town, created_at, **fields) -> IntakeRequest:
    return IntakeRequest.objects.create(
        association=association,
        reference=reference,
        theme=theme,
        town=town,
        consent_version="demo",
        consent_at=created_at,
        created_at=created_at,
        state_changed_at=created_at,
        deadline_at=created_at + timedelta(days=2),
        **fields,
    )


@demo_step(60)
def demand_demo(result: dict, *, today=None) -> None:
    association = result["association"]
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    with transaction.atomic():
        theme = Theme.objects.filter(slug=NEW_THEME[0]).first()
        if theme is None:
            theme = services.theme_create(slug=NEW_THEME[0], name_it=NEW_THEME[1], name_en=NEW_THEME[2], by=None)
        if not DemandRecord.objects.filter(association=association, theme=theme).exists():
            for number, (town, lat, lon, months_ago, email) in enumerate(NEW_MOTHERS, start=1):
                month = this_month - relativedelta(months=months_ago)
                request = None
                if email:
                    created = timezone.make_aware(datetime.combine(month + timedelta(days=2), time(10, 0)))
                    request = _request(
                        association,
                        reference=f"R-DEMO{number:02d}",
                        theme=theme,
                        town=town,
                        created_at=created,
                        latitude=lat,
                        longitude=lon,
                        relationship=Relationship.AFFECTED,
                        first_name="Giulia" if number == 1 else "Marti",
                        email=email,
                        email_index=blind_index(email),
                        call_times=2,
                        state=RequestState.WAITING,
                        first_contact_at=created + timedelta(hours=20),
                    )
                DemandRecord.objects.create(
                    association=association,
                    theme=theme,
                    area=town,
                    latitude=lat,
                    longitude=lon,
                    audience=Relationship.AFFECTED,
                    availability=2 if number % 2 else 4,
                    month=month,
                    request=request,
                )
            for slug, town, lat, lon, count in FEW:
                few_theme = Theme.objects.filter(slug=slug).first()
                for index in range(count):
                    DemandRecord.objects.create(
                        association=association,
                        theme=few_theme,
                        area=town,
                        latitude=lat,
                        longitude=lon,
                        audience=Relationship.FAMILY if index % 2 else Relationship.AFFECTED,
                        availability=4,
                        month=this_month - relativedelta(months=index % 3),
                    )
        # The past requests are R-H0001…; a live reference has six random characters and may start with H too.
        if not IntakeRequest.objects.filter(association=association, reference__regex=r"^R-H[0-9]{4}$").exists():
            themes = {theme.slug: theme for theme in Theme.objects.filter(slug__in=HISTORY_THEMES)}
            number = 0
            for months_ago in range(12, 0, -1):
                month = this_month - relativedelta(months=months_ago)
                for index in range(14 + (months_ago * 5) % 9):
                    number += 1
                    created = timezone.make_aware(
                        datetime.combine(month + timedelta(days=(index * 2) % 27), time(9 + index % 9, 0))
                    )
                    outcome = HISTORY_OUTCOMES[number % len(HISTORY_OUTCOMES)]
                    contacted = outcome != Outcome.UNREACHABLE
                    _request(
                        association,
                        reference=f"R-H{number:04d}",
                        theme=themes.get(HISTORY_THEMES[(number * 7) % len(HISTORY_THEMES)]),
                        town="Trento",
                        created_at=created,
                        state=RequestState.CLOSED,
                        outcome=outcome,
                        # Most are called back within a day; one in five waits longer than two days.
                        first_contact_at=created + timedelta(hours=60 if number % 5 == 0 else 3 + number % 20)
                        if contacted
                        else None,
                        closed_at=created + timedelta(days=21),
                        redacted_at=created + timedelta(days=21),
                    )
