"""A group's agreements (*accordi*): what must be agreed before it may become active.

The founding path (founding/) fills them in through `group_agreements_set`; the
lifecycle service (`network.services.group_set_status`) reads `missing_agreements`
to refuse activating a group that has not agreed them. Both live here, next to the
data, so the network never needs the founding app.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.activity import activity_record
from network.models import Audience, Entry, FacilitatorKind, Group, GroupAgreements, Joining, Schedule, Venue
from network.services import Refused, group_refresh_search_fields, group_sync_meetings

MIN_SIZE = 3
MAX_SIZE = 20
# Above this a group is too large for everyone to speak: gemmation looks at it.
LARGE_SIZE = 12

AGREEMENT_FIELDS = {
    "entry_moments",
    "joining",
    "family_may_attend",
    "facilitator_count",
    "ama_rules_accepted",
    "own_rules",
    "contact_through_association",
    *GroupAgreements.CRITERIA,
    "first_meeting_at",
    "first_meeting_venue",
}
# The agreements kept on the group itself (its public card).
GROUP_AGREEMENT_FIELDS = {"venue", "entry", "max_size", "audience", "facilitator_kind"}

# Each mandatory agreement and how it is named when missing.
MANDATORY = {
    "place": gettext_lazy("il luogo (una sede o un link per gli incontri online)"),
    "schedule": gettext_lazy("il giorno, l'ora, il ritmo e la durata degli incontri"),
    "entry_moments": gettext_lazy("i momenti in cui si entra nel gruppo chiuso"),
    "joining": gettext_lazy("come entrano le nuove persone"),
    "max_size": gettext_lazy("il numero massimo di partecipanti (da 3 a 20)"),
    "family_may_attend": gettext_lazy("se possono partecipare i familiari"),
    "facilitators": gettext_lazy("i facilitatori (quanti e di che tipo)"),
    "rules": gettext_lazy("l'adesione alle regole dell'auto mutuo aiuto"),
    "contact": gettext_lazy("che il pubblico contatti il gruppo tramite l'associazione"),
    "criteria": gettext_lazy("i criteri per essere nell'elenco dei gruppi"),
}


def agreements_of(group: Group) -> GroupAgreements:
    """The group's agreements as stored now; an unsaved empty row when none were made yet."""
    agreements = GroupAgreements.objects.filter(group=group).first()
    return agreements if agreements is not None else GroupAgreements(group=group)


def missing_agreements(group: Group) -> list[str]:
    """The mandatory agreements not yet made, in words; empty when the group may become active."""
    agreements = agreements_of(group)
    missing = []
    if not group.venue_id and not group.online_url:
        missing.append("place")
    if not Schedule.objects.current().filter(group=group).exists():
        missing.append("schedule")
    if group.entry == Entry.CLOSED and not agreements.entry_moments.strip():
        missing.append("entry_moments")
    if not agreements.joining:
        missing.append("joining")
    if not MIN_SIZE <= group.max_size <= MAX_SIZE:
        missing.append("max_size")
    if agreements.family_may_attend is None:
        missing.append("family_may_attend")
    if not agreements.facilitator_count:
        missing.append("facilitators")
    if not agreements.ama_rules_accepted:
        missing.append("rules")
    if not agreements.contact_through_association:
        missing.append("contact")
    if not agreements.criteria_confirmed:
        missing.append("criteria")
    return missing


def describe_missing(keys: list[str]) -> list[str]:
    return [str(MANDATORY[key]) for key in keys]


def _check(*, group: Group, values: dict, agreements: GroupAgreements) -> None:
    """Refuse contradictory or impossible agreements, each with its reason (several at once)."""
    errors: dict[str, list[str]] = {}
    entry = values.get("entry", group.entry)
    moments = values.get("entry_moments", agreements.entry_moments) or ""
    if entry == Entry.CLOSED and not moments.strip():
        errors["entry_moments"] = [
            _("Un gruppo chiuso deve dire quando entrano le nuove persone (per esempio: a gennaio e a settembre).")
        ]
    size = values.get("max_size", group.max_size)
    if size is not None and not MIN_SIZE <= size <= MAX_SIZE:
        errors["max_size"] = [
            _("Il numero massimo va da %(min)d a %(max)d partecipanti.") % {"min": MIN_SIZE, "max": MAX_SIZE}
        ]
    count = values.get("facilitator_count", agreements.facilitator_count)
    if count is not None and not 1 <= count <= 5:
        errors["facilitator_count"] = [_("I facilitatori sono da 1 a 5.")]
    first: datetime | None = values.get("first_meeting_at", agreements.first_meeting_at)
    new_date = "first_meeting_at" in values and first is not None and first != agreements.first_meeting_at
    if new_date and first <= timezone.now():
        errors["first_meeting_at"] = [_("Il primo incontro deve essere nel futuro.")]
    for name in ("venue", "first_meeting_venue"):
        venue: Venue | None = values.get(name)
        if venue is not None and venue.association_id != group.association_id:
            errors[name] = [_("La sede appartiene a un'altra associazione.")]
    for name, choices in (("audience", Audience), ("facilitator_kind", FacilitatorKind), ("entry", Entry)):
        if name in values and values[name] not in choices.values:
            errors[name] = [_("Scegli una delle voci proposte.")]
    if values.get("joining") not in (None, "", *Joining.values):
        errors["joining"] = [_("Scegli una delle voci proposte.")]
    if errors:
        raise Refused(errors)


@transaction.atomic
def group_agreements_set(*, group: Group, by, **values) -> GroupAgreements:
    """Record what the group agreed: the card's fields on the group, the rest in its agreements.

    Refuses a closed group with no moments of entry, a maximum size outside 3–20, a
    first meeting in the past, a venue of another association. Logged with the names
    of the fields changed, never their content.
    """
    unknown = set(values) - AGREEMENT_FIELDS - GROUP_AGREEMENT_FIELDS
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    group = Group.objects.select_for_update().get(pk=group.pk)
    agreements = agreements_of(group)
    _check(group=group, values=values, agreements=agreements)
    changed = []
    for name, value in values.items():
        target = group if name in GROUP_AGREEMENT_FIELDS else agreements
        if name == "own_rules" or name == "entry_moments":
            value = (value or "").strip()
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if GROUP_AGREEMENT_FIELDS & set(changed):
        group.save()
        if "venue" in changed:
            group_sync_meetings(group=group)  # meetings without their own venue follow the group
        else:
            group_refresh_search_fields(group=group)
    agreements.group = group
    agreements.save()
    if changed:
        activity_record(
            actor=by, action="group.agreements", target=group, group=group, payload={"fields": sorted(changed)}
        )
    return agreements
