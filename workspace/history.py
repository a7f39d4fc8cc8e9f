"""Activity log entries in words, for the history pages."""

from datetime import date, time

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from following.models import ReminderPlan
from following.reminders import plan_summary
from network.models import Activity, GroupStatus

ACTIONS = {
    "group.create": gettext_lazy("ha creato il gruppo"),
    "group.update": gettext_lazy("ha modificato il gruppo"),
    "group.status": gettext_lazy("ha cambiato lo stato del gruppo"),
    "group.pause": gettext_lazy("ha messo in pausa il gruppo"),
    "group.pause_removed": gettext_lazy("ha tolto una pausa"),
    "schedule.create": gettext_lazy("ha fissato il ritmo degli incontri"),
    "schedule.change": gettext_lazy("ha cambiato il ritmo degli incontri"),
    "schedule.end": gettext_lazy("ha chiuso un calendario"),
    "schedule.delete": gettext_lazy("ha tolto un calendario mai usato"),
    "meeting.cancel": gettext_lazy("ha annullato un incontro"),
    "meeting.restore": gettext_lazy("ha ripristinato un incontro"),
    "meeting.move": gettext_lazy("ha spostato un incontro"),
    "meeting.venue": gettext_lazy("ha cambiato la sede di un incontro"),
    "reminders.plan": gettext_lazy("ha scelto quando arrivano i promemoria a chi segue il gruppo"),
    "meeting.close": gettext_lazy("ha registrato presenze e accordi di un incontro"),
    "venue.create": gettext_lazy("ha aggiunto una sede"),
    "venue.update": gettext_lazy("ha modificato una sede"),
    "association.create": gettext_lazy("ha creato l'associazione"),
    "association.update": gettext_lazy("ha modificato l'associazione"),
    "invitation.send": gettext_lazy("ha mandato un invito"),
    "invitation.accept": gettext_lazy("ha accettato un invito"),
    "invitation.withdraw": gettext_lazy("ha ritirato un invito"),
    "role.grant": gettext_lazy("ha assegnato un ruolo"),
    "role.end": gettext_lazy("ha tolto un ruolo"),
    "theme.create": gettext_lazy("ha aggiunto un'area tematica"),
    "theme.rename": gettext_lazy("ha rinominato un'area tematica"),
    "intake.submitted": gettext_lazy("ha registrato una richiesta di accoglienza"),
    "intake.assigned": gettext_lazy("ha assegnato una richiesta di accoglienza"),
    "intake.contacted": gettext_lazy("ha contattato una persona che ha chiesto aiuto"),
    "intake.proposed": gettext_lazy("ha proposto un gruppo"),
    "intake.introduced": gettext_lazy("ha presentato una persona al facilitatore"),
    "intake.waiting": gettext_lazy("ha messo una richiesta in attesa di un gruppo"),
    "intake.closed": gettext_lazy("ha chiuso una richiesta di accoglienza"),
    "intake.erased": gettext_lazy("ha cancellato i dati di una richiesta"),
    "intake.settings": gettext_lazy("ha cambiato le impostazioni dell'accoglienza"),
    "demand.start_group": gettext_lazy("ha avviato un gruppo su richiesta"),
}


def _day(value: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(value[:10]), "j F Y")
    except (TypeError, ValueError):
        return ""


def _detail(entry: Activity) -> str:
    payload = entry.payload or {}
    if entry.action.startswith("meeting.") and payload.get("date"):
        return _("incontro del %(date)s") % {"date": _day(payload["date"])}
    if entry.action == "group.pause":
        return _("dal %(from)s al %(to)s") % {"from": _day(payload.get("from", "")), "to": _day(payload.get("to", ""))}
    if entry.action == "group.status":
        labels = dict(GroupStatus.choices)
        return f"{labels.get(payload.get('from'), '')} → {labels.get(payload.get('to'), '')}"
    if entry.action == "reminders.plan":
        try:
            at = time.fromisoformat(payload["day_before_at"]) if payload.get("day_before_at") else None
        except (TypeError, ValueError):
            at = None
        return plan_summary(ReminderPlan(day_before_at=at, hours_before=payload.get("hours_before")))
    return ""


def describe_activity(entry: Activity) -> dict:
    """Who did what, in words. People appear by their nickname; contact details never."""
    if entry.actor_id is None:
        # Set up by Cerchio itself (demo, commands), or by a person whose account was erased.
        who = _("Cerchio o una persona non più presente")
    else:
        profile = getattr(entry.actor, "profile", None)
        who = (profile.nickname if profile and profile.nickname else "") or _("persona n. %(id)s") % {
            "id": entry.actor_id
        }
    return {
        "at": entry.at,
        "who": who,
        "what": str(ACTIONS.get(entry.action, entry.action)),
        "detail": _detail(entry),
        "group": entry.group,
    }
