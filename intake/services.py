"""Every write to intake goes through these functions.

Each is keyword-only, runs in one transaction, writes the activity log and puts its
e-mails in the outbox in the same transaction: the request is stored before any
e-mail is attempted, and nothing accepted is lost if the mail server is down.
"""

import re
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.places import resolve_place
from intake.consent import CONSENT_TEXTS
from intake.models import (
    CLOSE_FROM,
    TRANSITIONS,
    CallTime,
    DemandRecord,
    IntakeRequest,
    IntakeSettings,
    Introduction,
    Outcome,
    Relationship,
    RequestState,
    Source,
)
from intake.workdays import deadline_after
from network.activity import activity_record
from network.models import (
    Association,
    AssociationMembership,
    AssociationRole,
    Group,
    GroupMembership,
    GroupRole,
    GroupStatus,
    Meeting,
    Theme,
)
from network.services import Refused
from notifications.models import OutboxMessage
from notifications.services import message_enqueue
from privacy.crypto import blind_index
from privacy.sealing import unseal

# Size limits of what a person types (the form says so, and the service refuses more).
MAX_FIRST_NAME = 40
MAX_TOWN = 100
MAX_CALL_NOTE = 200
MAX_MESSAGE = 1000
MAX_EMAIL = 254
MAX_PHONE = 30
# Roles that work an association's queue and see contact details.
WORKER_ROLES = (AssociationRole.INTAKE, AssociationRole.COORDINATOR)
_PHONE = re.compile(r"^\+?[0-9][0-9 ./()\-]{4,28}$")
_REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B)

KIND_CONFIRMATION = "intake_confirmation"
KIND_NEW = "intake_new"
KIND_INTRODUCTION = "intake_introduction"
PUBLIC_STATUSES = (GroupStatus.ACTIVE, GroupStatus.PROMOTING)
KINDS = (KIND_CONFIRMATION, KIND_NEW, KIND_INTRODUCTION)


# --- Settings and helpers ---------------------------------------------------------


def settings_for(association: Association) -> IntakeSettings:
    """The association's intake settings (the defaults while it has never changed them)."""
    found = IntakeSettings.objects.filter(association=association).first()
    return found or IntakeSettings(association=association)


def workers_of(association: Association):
    """The people who work this association's queue: its intake operators and coordinators."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            association_memberships__association=association,
            association_memberships__role__in=WORKER_ROLES,
        )
        .distinct()
    )


def _new_reference() -> str:
    return "R-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def clean_phone(phone: str) -> str:
    phone = " ".join(phone.split())
    if phone and (len(phone) > MAX_PHONE or not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
        raise Refused(
            _("Il numero di telefono non sembra giusto: scrivi solo cifre, spazi e, se serve, il + iniziale.")
        )
    return phone


def clean_email(email: str) -> str:
    email = email.strip()
    if email:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            raise Refused(_("L'indirizzo e-mail non sembra giusto: controlla che sia scritto per intero.")) from None
    return email


def clean_first_name(first_name: str) -> str:
    first_name = " ".join(first_name.split())
    if not first_name:
        raise Refused(_("Scrivi un nome o un soprannome con cui chiamarti."))
    if len(first_name) > MAX_FIRST_NAME or len(first_name.split()) > 2:
        raise Refused(_("Basta il nome o un soprannome, senza cognome."))
    return first_name


def _check_size(value: str, limit: int, message: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise Refused(message)
    return value


def contact_index(value: str) -> str:
    """The keyed hash of an e-mail address or a phone number (digits only), for look-ups."""
    if "@" in value:
        return blind_index(value.strip().lower())
    digits = "".join(c for c in value if c.isdigit() or c == "+")
    return blind_index(digits.removeprefix("+39").removeprefix("0039"))


def _locked(request: IntakeRequest) -> IntakeRequest:
    """The request's row, locked for the transaction: two operators never move it at once."""
    return IntakeRequest.objects.select_for_update().get(pk=request.pk)


def _log(request: IntakeRequest, action: str, by, **payload) -> None:
    activity_record(actor=by, action=action, target=request, association=request.association, payload=payload)


def _move(request: IntakeRequest, state: str, *, now: datetime) -> None:
    if state not in TRANSITIONS[request.state]:
        raise Refused(
            _("Una richiesta nello stato «%(current)s» non può passare a «%(target)s».")
            % {"current": request.get_state_display(), "target": RequestState(state).label}
        )
    request.state = state
    request.state_changed_at = now


# --- Submitting a request ---------------------------------------------------------


def request_submit(
    *,
    association: Association,
    first_name: str,
    email: str = "",
    phone: str = "",
    call_times: int = 0,
    call_note: str = "",
    theme: Theme | None = None,
    town: str = "",
    relationship: str = Relationship.AFFECTED,
    message: str = "",
    consent_version: str,
    language: str = "it",
    submission_token: str | None = None,
    asked_group: Group | None = None,
    person_agreed: bool = False,
    by=None,
    now: datetime | None = None,
) -> tuple[IntakeRequest, bool]:
    """Store a newcomer's request, then queue its e-mails. Returns (request, created).

    `by` is a referring professional (or an operator taking a call) filing on the person's
    behalf; it requires `person_agreed`. The same `submission_token` returns the request
    already made (a double tap, a reload).
    """
    now = now or timezone.now()
    if submission_token:
        existing = IntakeRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    first_name = clean_first_name(first_name)
    email = clean_email(email)
    phone = clean_phone(phone)
    if not email and not phone:
        raise Refused(_("Lascia almeno un modo per ricontattarti: un telefono o un indirizzo e-mail."))
    if consent_version not in CONSENT_TEXTS:
        raise Refused(_("Serve il tuo consenso al trattamento dei dati per poter inviare la richiesta."))
    town = _check_size(" ".join(town.split()), MAX_TOWN, _("Il nome del comune è troppo lungo."))
    call_note = _check_size(
        call_note, MAX_CALL_NOTE, _("La nota sugli orari è troppo lunga (al massimo 200 caratteri).")
    )
    message = _check_size(message, MAX_MESSAGE, _("Il messaggio è troppo lungo (al massimo 1000 caratteri)."))
    if relationship not in Relationship.values:
        raise Refused(_("Indica se la richiesta è per te o per un familiare."))
    call_times = int(call_times or 0) & sum(CallTime.values)
    language = language if language in dict(settings.LANGUAGES) else "it"
    if asked_group is not None and asked_group.association_id != association.pk:
        raise ValueError("the asked group belongs to another association")
    source = Source.PUBLIC
    if by is not None:
        roles = set(
            AssociationMembership.objects.filter(user=by, association=association).values_list("role", flat=True)
        )
        if not roles & {AssociationRole.REFERRER, *WORKER_ROLES} and not by.is_superuser:
            raise Refused(_("Non puoi inviare richieste a questa associazione."))
        if not person_agreed:
            raise Refused(_("Conferma che la persona è d'accordo a essere ricontattata dall'associazione."))
        source = Source.REFERRER if AssociationRole.REFERRER in roles else Source.STAFF
    place = resolve_place(town) if town else None
    try:
        with transaction.atomic():
            request = IntakeRequest(
                association=association,
                submission_token=submission_token or None,
                source=source,
                referred_by=by if source == Source.REFERRER else None,
                person_agreed_at=now if by is not None else None,
                asked_group=asked_group,
                theme=theme,
                town=town,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
                relationship=relationship,
                first_name=first_name,
                email=email,
                email_index=contact_index(email) if email else "",
                phone=phone,
                call_times=call_times,
                call_note=call_note,
                message=message,
                language=language,
                consent_version=consent_version,
                consent_at=now,
                created_at=now,
                state_changed_at=now,
                deadline_at=deadline_after(now, settings_for(association).response_working_days),
            )
            for _attempt in range(5):
                request.reference = _new_reference()
                if not IntakeRequest.objects.filter(reference=request.reference).exists():
                    break
            request.save()
            _log(request, "intake.submitted", by, source=source)
            # Stored first; the e-mails leave later, from the outbox.
            if email:
                message_enqueue(
                    kind=KIND_CONFIRMATION,
                    key=f"intake:{request.pk}:confirmation",
                    to=email,
                    language=language,
                    context={"request": request.pk},
                    association_id=association.pk,
                )
            _notify_workers(request)
    except IntegrityError:
        # The same form sent twice at the same moment: the other submission won.
        existing = IntakeRequest.objects.filter(submission_token=submission_token).first() if submission_token else None
        if existing is None:
            raise
        return existing, False
    return request, True


def _notify_workers(request: IntakeRequest) -> None:
    for user in workers_of(request.association):
        address = unseal(user.email)
        if not address or "@" not in address:
            continue
        message_enqueue(
            kind=KIND_NEW,
            key=f"intake:{request.pk}:new:{user.pk}",
            to=address,
            language=getattr(user, "language", "") or "it",
            context={"request": request.pk},
            user=user,
            association_id=request.association_id,
        )


# --- Working the queue --------------------------------------------------------------


def request_assign(*, request: IntakeRequest, operator, by) -> IntakeRequest:
    """Give the request to an operator (or to nobody)."""
    with transaction.atomic():
        request = _locked(request)
        if operator is not None and not workers_of(request.association).filter(pk=operator.pk).exists():
            raise Refused(_("Si può assegnare una richiesta solo a chi lavora all'accoglienza di questa associazione."))
        request.assigned_to = operator
        request.save(update_fields=["assigned_to", "updated_at"])
        _log(request, "intake.assigned", by, operator=operator.pk if operator else None)
    return request


def request_contact(*, request: IntakeRequest, by, now: datetime | None = None) -> IntakeRequest:
    """The person was reached for the first time."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        _move(request, RequestState.CONTACTED, now=now)
        request.first_contact_at = now
        if request.assigned_to is None and by is not None and workers_of(request.association).filter(pk=by.pk).exists():
            request.assigned_to = by
        request.save()
        _log(request, "intake.contacted", by, on_time=now <= request.deadline_at)
    return request


def request_propose(*, request: IntakeRequest, group: Group, by, now: datetime | None = None) -> IntakeRequest:
    """A group was proposed to the person."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if group.association_id != request.association_id:
            raise Refused(_("Si possono proporre solo i gruppi di questa associazione."))
        if group.status not in (GroupStatus.ACTIVE, GroupStatus.PROMOTING, GroupStatus.PLANNED):
            raise Refused(_("Questo gruppo non si incontra: proponine un altro."))
        _move(request, RequestState.PROPOSED, now=now)
        request.proposed_group = group
        request.save()
        _log(request, "intake.proposed", by, group=group.pk)
    return request


def next_meetings(group: Group, *, now: datetime | None = None, limit: int = 4) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(group=group, is_scheduled=True, is_cancelled=False, starts_at__gte=now).order_by(
            "starts_at"
        )[:limit]
    )


def request_introduce(
    *, request: IntakeRequest, by, meeting: Meeting | None = None, now: datetime | None = None
) -> Introduction:
    """Tell the proposed group's facilitators that a newcomer may come (first name only)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        group = request.proposed_group
        if group is None:
            raise Refused(_("Prima proponi un gruppo alla persona."))
        _move(request, RequestState.INTRODUCED, now=now)
        if meeting is None:
            upcoming = next_meetings(group, now=now, limit=1)
            meeting = upcoming[0] if upcoming else None
        elif meeting.group_id != group.pk or meeting.starts_at < now or meeting.is_cancelled:
            raise Refused(_("Scegli uno dei prossimi incontri di questo gruppo."))
        request.save()
        introduction = Introduction.objects.create(
            request=request, group=group, meeting=meeting, first_time=True, created_at=now, created_by=by
        )
        _log(request, "intake.introduced", by, group=group.pk, meeting=meeting.pk if meeting else None)
        facilitators = GroupMembership.objects.filter(
            group=group, role=GroupRole.FACILITATOR, user__is_active=True
        ).select_related("user")
        for membership in facilitators:
            address = unseal(membership.user.email)
            if not address or "@" not in address:
                continue
            message_enqueue(
                kind=KIND_INTRODUCTION,
                key=f"intake:{request.pk}:introduction:{introduction.pk}:{membership.user_id}",
                to=address,
                language=membership.user.language or "it",
                context={"introduction": introduction.pk},
                user=membership.user,
                association_id=request.association_id,
            )
    return introduction


def _month(moment: datetime):
    return timezone.localtime(moment).date().replace(day=1)


def request_wait(*, request: IntakeRequest, by, now: datetime | None = None) -> DemandRecord:
    """No group fits: the request waits for one, and an anonymous demand record is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        _move(request, RequestState.WAITING, now=now)
        request.save()
        record = DemandRecord.objects.filter(request=request).first()
        if record is None:
            record = DemandRecord.objects.create(
                association=request.association,
                theme=request.theme,
                area=request.town,
                latitude=request.latitude,
                longitude=request.longitude,
                audience=request.relationship,
                availability=request.call_times,
                month=_month(request.created_at),
                created_at=now,
                request=request,
            )
        _log(request, "intake.waiting", by, demand=record.pk)
    return record


def request_close(*, request: IntakeRequest, outcome: str, by, now: datetime | None = None) -> IntakeRequest:
    """Close the request with an outcome. Withdrawn erases the personal data at once."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if outcome not in CLOSE_FROM:
            raise Refused(_("Esito sconosciuto."))
        if request.state not in CLOSE_FROM[outcome]:
            if request.state == RequestState.CLOSED:
                raise Refused(_("La richiesta è già chiusa."))
            raise Refused(
                _("Una richiesta nello stato «%(current)s» non può chiudersi con l'esito «%(outcome)s».")
                % {"current": request.get_state_display(), "outcome": Outcome(outcome).label}
            )
        request.state = RequestState.CLOSED
        request.outcome = outcome
        request.state_changed_at = now
        request.closed_at = now
        request.save()
        _log(request, "intake.closed", by, outcome=outcome)
        if outcome == Outcome.WITHDRAWN:
            _redact(request, now=now)
    return request


def request_withdraw(*, request: IntakeRequest, by=None, now: datetime | None = None) -> IntakeRequest:
    """The person withdraws: their data is erased at once (a closed request keeps its outcome)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if request.redacted_at is not None:
            raise Refused(_("Questa richiesta è già stata ritirata e i suoi dati cancellati."))
        if request.state == RequestState.CLOSED:
            _redact(request, now=now)
            _log(request, "intake.erased", by)
            return request
        return request_close(request=request, outcome=Outcome.WITHDRAWN, by=by, now=now)


# --- Personal data: erasure, retention, export ---------------------------------------

PERSONAL_FIELDS = ("first_name", "email", "email_index", "phone", "call_note", "message", "town")


def _redact(request: IntakeRequest, *, now: datetime) -> None:
    for name in PERSONAL_FIELDS:
        setattr(request, name, "")
    request.latitude = request.longitude = None
    request.call_times = 0
    request.submission_token = None
    request.redacted_at = now
    request.save()
    # The demand record stays, anonymous: the link to the person is cut.
    DemandRecord.objects.filter(request=request).update(request=None)
    # Messages still waiting in the outbox hold the address: they go too.
    OutboxMessage.objects.filter(kind__in=KINDS, key__startswith=f"intake:{request.pk}:").delete()


def request_redact(*, request: IntakeRequest, by=None, now: datetime | None = None) -> IntakeRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if request.redacted_at is None:
            _redact(request, now=now)
            _log(request, "intake.erased", by)
    return request


def intake_purge(*, now: datetime | None = None) -> int:
    """Closed requests lose their personal data after the retention period. Safe to run any number of times."""
    from datetime import timedelta

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CERCHIO_RETENTION_DAYS["intake_closed_request"])
    expired = IntakeRequest.objects.filter(state=RequestState.CLOSED, closed_at__lt=cutoff, redacted_at__isnull=True)
    count = 0
    for request in expired.iterator():
        request_redact(request=request, now=now)
        count += 1
    return count


def request_export(request: IntakeRequest) -> dict:
    """What Cerchio holds about the person who made this request, JSON-ready."""
    return {
        "format": "cerchio-personal-data-1",
        "exported_at": timezone.now(),
        "data": {
            "intake.intakerequest": [
                {
                    "reference": request.reference,
                    "association": request.association.name,
                    "created_at": request.created_at,
                    "state": request.state,
                    "outcome": request.outcome,
                    "first_name": request.first_name,
                    "email": request.email,
                    "phone": request.phone,
                    "call_times": [str(label) for value, label in CallTime.choices if request.call_times & value],
                    "call_note": request.call_note,
                    "theme": request.theme.name_it if request.theme else "",
                    "town": request.town,
                    "relationship": request.relationship,
                    "message": request.message,
                    "consent_version": request.consent_version,
                    "consent_at": request.consent_at,
                }
            ]
        },
    }


# --- Which association receives a request ------------------------------------------


def association_for_request(
    *, group: Group | None = None, theme: Theme | None = None, town: str = ""
) -> Association | None:
    """The group's association; otherwise the one whose groups are nearest the town (on the theme
    if there are any); otherwise the association with the most groups."""
    from django.db.models import Count, Q

    from lib.geo import distance_km

    if group is not None:
        return group.association
    groups = Group.objects.public().exclude(venue=None)
    place = resolve_place(town) if town else None
    if place is not None:
        for candidates in (groups.filter(themes=theme) if theme else groups.none(), groups):
            located = list(candidates.values_list("association_id", "venue__latitude", "venue__longitude")[:2000])
            if located:
                nearest = min(located, key=lambda row: distance_km(place.latitude, place.longitude, row[1], row[2]))
                return Association.objects.get(pk=nearest[0])
    if theme is not None:
        themed = Group.objects.public().filter(themes=theme).values_list("association_id", flat=True).first()
        if themed:
            return Association.objects.get(pk=themed)
    return (
        Association.objects.annotate(running=Count("groups", filter=Q(groups__status__in=PUBLIC_STATUSES)))
        .filter(running__gt=0)
        .order_by("-running", "pk")
        .first()
    )
