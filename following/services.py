"""Following a group: ask by e-mail (double opt-in) or with an account, confirm, leave, choose reminders."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from following import tokens
from following.models import Follow, Follower, ReminderPlan
from network.activity import activity_record
from network.models import Group, GroupStatus
from network.services import Refused
from notifications.services import message_enqueue
from privacy.crypto import blind_index, blind_indexes

# At most this many unconfirmed groups per address in a day: nobody can use Cerchio to flood an inbox.
MAX_PENDING_PER_DAY = 5
FOLLOWABLE = (GroupStatus.ACTIVE, GroupStatus.PROMOTING, GroupStatus.SUSPENDED)


def _check_followable(group: Group) -> None:
    if group.status not in FOLLOWABLE:
        raise Refused(_("Questo gruppo non si può seguire."))


def follower_for_email(email: str) -> Follower | None:
    return Follower.objects.filter(email_index__in=blind_indexes(email.strip().lower())).first()


@transaction.atomic
def follow_request(*, group: Group, email: str, language: str) -> Follow | None:
    """Someone with no account asks to follow a group: a confirmation link goes to the address.

    Returns None when nothing was sent (already following, or too many requests today);
    the visitor is told the same either way, so the form reveals nobody's follows.
    """
    _check_followable(group)
    email = email.strip().lower()
    follower = follower_for_email(email)
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(email=email, email_index=blind_index(email), language=language)
        except IntegrityError:
            follower = follower_for_email(email)
    follow, _created = Follow.objects.get_or_create(follower=follower, group=group)
    if follow.confirmed_at is not None:
        return None
    recent = follower.follows.filter(confirmed_at__isnull=True, created_at__gte=timezone.now() - timedelta(days=1))
    if recent.count() > MAX_PENDING_PER_DAY:
        return None
    message_enqueue(
        kind="follow_confirm",
        # One link per follow and day, however often the form is sent.
        key=f"follow_confirm:{follow.pk}:{timezone.localdate().isoformat()}",
        to=email,
        language=language,
        context={"follow": follow.pk, "secret": follower.secret},
        association_id=group.association_id,
    )
    activity_record(actor=None, action="follow.request", group=group)
    return follow


def announce_baseline(*, group: Group) -> int:
    """Note what a group's upcoming meetings look like now, before anyone is told of a change."""
    from following.notices import baseline_for_groups

    return baseline_for_groups([group.pk])


@transaction.atomic
def follow_confirm(*, token: str) -> Follow:
    """The link in the confirmation e-mail. Using it twice is harmless: the follow stays confirmed."""
    payload = tokens.read_confirm(token)
    if payload is None or payload.get("expired"):
        raise Refused(
            _("Questo link è scaduto: chiedi di nuovo di seguire il gruppo dalla sua pagina.")
            if payload
            else _("Questo link non è valido. Controlla di averlo copiato per intero.")
        )
    follow = (
        Follow.objects.select_related("follower", "group")
        .filter(pk=payload.get("w"), follower__secret=payload.get("s"))
        .first()
    )
    if follow is None:
        raise Refused(_("Questo link non vale più: forse hai smesso di seguire il gruppo."))
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
        announce_baseline(group=follow.group)
        activity_record(actor=None, action="follow.confirm", group=follow.group)
    return follow


@transaction.atomic
def follow_by_user(*, group: Group, user, language: str) -> Follow:
    """A signed-in person follows a group: no confirmation needed, the account's address is verified."""
    _check_followable(group)
    follower, _created = Follower.objects.get_or_create(user=user, defaults={"language": language})
    follow, created = Follow.objects.get_or_create(
        follower=follower, group=group, defaults={"confirmed_at": timezone.now()}
    )
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
        created = True
    if created:
        announce_baseline(group=group)
        activity_record(actor=user, action="follow.confirm", group=group)
    return follow


@transaction.atomic
def follow_leave(*, follow: Follow, by=None) -> None:
    """Stop following a group. A follower left with nothing to follow is deleted, address included."""
    follower, group = follow.follower, follow.group
    follow.delete()
    if not follower.follows.exists():
        follower.delete()
    activity_record(actor=by, action="follow.leave", group=group)


@transaction.atomic
def follower_leave_all(*, follower: Follower, by=None) -> int:
    follows = list(follower.follows.select_related("group"))
    for follow in follows:
        activity_record(actor=by, action="follow.leave", group=follow.group)
    follower.delete()
    return len(follows)


@transaction.atomic
def follower_set_reminders(*, follower: Follower, reminders: bool, language: str | None = None, by=None) -> Follower:
    """Reminders on or off; change notices keep coming either way."""
    follower.reminders = reminders
    fields = ["reminders"]
    if language:
        follower.language = language
        fields.append("language")
    follower.save(update_fields=fields)
    return follower


def follower_for_manage_token(token: str) -> Follower | dict | None:
    """The follower a manage link names; {"expired": True} for an old link, None for a bad one."""
    payload = tokens.read_manage(token)
    if payload is None or payload.get("expired"):
        return payload
    return Follower.objects.select_related("user").filter(pk=payload.get("f"), secret=payload.get("s")).first()


def follow_for_leave_token(token: str) -> Follow | dict | None:
    payload = tokens.read_leave(token)
    if payload is None or payload.get("expired"):
        return payload
    return (
        Follow.objects.select_related("follower", "group")
        .filter(follower_id=payload.get("f"), group_id=payload.get("g"), follower__secret=payload.get("s"))
        .first()
    )


MAX_HOURS_BEFORE = 24


@transaction.atomic
def reminder_plan_set(*, group: Group, day_before_at, hours_before: int | None, by) -> ReminderPlan:
    """When the group's followers are reminded: the day before at a time, and/or some hours before."""
    if day_before_at is None and not hours_before:
        raise Refused(_("Scegli almeno un promemoria: il giorno prima o qualche ora prima."))
    if hours_before is not None and not 1 <= hours_before <= MAX_HOURS_BEFORE:
        raise Refused(_("Le ore prima dell'incontro vanno da 1 a 24."))
    plan, _created = ReminderPlan.objects.update_or_create(
        group=group, defaults={"day_before_at": day_before_at, "hours_before": hours_before or None}
    )
    activity_record(
        actor=by,
        action="reminders.plan",
        target=plan,
        group=group,
        payload={
            "day_before_at": day_before_at.strftime("%H:%M") if day_before_at else None,
            "hours_before": hours_before,
        },
    )
    return plan
