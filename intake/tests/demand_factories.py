"""Requests and demand records for the demand and figures tests.

The real way in is intake/services.py (a request moved to "waiting" writes its record);
these factories build the same rows directly, so the board and the figures can be
tested on their own.
"""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from intake.models import DemandRecord, IntakeRequest, Outcome, Relationship, RequestState
from privacy.crypto import blind_index

# (latitude, longitude) of towns in the province of Trento.
TRENTO = (46.06787, 11.12108)
LAVIS = (46.14131, 11.10931)  # about 8 km from Trento
PERGINE = (46.06434, 11.23758)  # about 9 km from Trento
PREDAZZO = (46.3114, 11.5996)  # about 45 km from Trento
_numbers = itertools.count(1)


def make_request(
    association,
    *,
    theme=None,
    state: str = RequestState.WAITING,
    outcome: str = "",
    email: str = "",
    language: str = "it",
    created_at=None,
    first_contact_after: timedelta | None = None,
    deadline_after: timedelta = timedelta(days=2),
    closed_after: timedelta | None = None,
    town: str = "Trento",
) -> IntakeRequest:
    number = next(_numbers)
    created_at = created_at or timezone.now()
    if state == RequestState.CLOSED and not outcome:
        outcome = Outcome.JOINED
    if state == RequestState.CLOSED and closed_after is None:
        closed_after = timedelta(days=20)
    return IntakeRequest.objects.create(
        association=association,
        reference=f"R-T{number:05d}",
        theme=theme,
        town=town,
        first_name="Anna",
        email=email,
        email_index=blind_index(email) if email else "",
        language=language,
        consent_version="2026-1",
        consent_at=created_at,
        state=state,
        outcome=outcome if state == RequestState.CLOSED else "",
        created_at=created_at,
        deadline_at=created_at + deadline_after,
        first_contact_at=created_at + first_contact_after if first_contact_after is not None else None,
        closed_at=created_at + closed_after if closed_after is not None else None,
    )


def make_demand(
    association,
    theme,
    *,
    at: tuple[float, float] | None = TRENTO,
    area: str = "Trento",
    month: date | None = None,
    request=None,
    audience: str = Relationship.AFFECTED,
    availability: int = 4,
) -> DemandRecord:
    return DemandRecord.objects.create(
        association=association,
        theme=theme,
        area=area,
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        audience=audience,
        availability=availability,
        month=month or timezone.localdate().replace(day=1),
        request=request,
    )


def make_waiting(association, theme, *, email: str = "", language: str = "it", **demand) -> DemandRecord:
    """A waiting request with its demand record, as intake/services.py leaves them."""
    request = make_request(association, theme=theme, email=email, language=language, town=demand.get("area", "Trento"))
    return make_demand(association, theme, request=request, **demand)
