"""Everything the pact, the first-meeting guide, the poster, the flyer and the letter need.

One set of agreements, one dictionary: every document (HTML on the phone, the
printable PDFs) is filled in from `document_context`, in the group's language.
Only plain values (strings, numbers, booleans, lists, dicts), so any renderer can use
it. No personal names, no personal phone numbers: the contact is the association's.
"""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lib.dates import date_label, day_label
from lib.site import absolute_url
from network.agreements import agreements_of, describe_missing, missing_agreements
from network.models import Entry, Group, GroupAgreements


def ama_rules() -> list[dict]:
    """The four rules every group states, at the first meeting and always (as on the public pages)."""
    return [
        {
            "title": _("Accoglienza e ascolto, senza giudizio."),
            "text": _("Ogni persona è accolta così com'è e parla della propria esperienza."),
        },
        {
            "title": _("Libero e gratuito."),
            "text": _("Non si paga nulla. Nessuno è obbligato a venire sempre o a parlare."),
        },
        {
            "title": _("Riservatezza."),
            "text": _(
                "Quello che si dice nel gruppo resta nel gruppo. Ci si presenta con il nome o con un nome di fantasia."
            ),
        },
        {
            "title": _("Uno alla volta."),
            "text": _("Si parla in prima persona, senza interrompere; chi vuole parlare ne ha la possibilità."),
        },
    ]


def confidentiality_text() -> dict:
    return {
        "rule": _(
            "Quello che si dice nel gruppo resta nel gruppo. Si parla delle persone solo quando sono presenti; "
            "chi partecipa non viene nominato fuori dal gruppo."
        ),
        "limits": _(
            "La riservatezza ha un solo limite: quando tacere metterebbe qualcuno in pericolo (un rischio per la "
            "vita, un minore in pericolo). Allora il facilitatore ne parla con l'operatore dell'associazione."
        ),
    }


def _place(venue) -> dict | None:
    if venue is None:
        return None
    return {
        "name": venue.name,
        "address": venue.address,
        "comune": venue.comune,
        "province": venue.province,
        "line": f"{venue.name}, {venue.address}, {venue.comune} ({venue.province})",
        "step_free": venue.step_free,
        "transport_notes": venue.transport_notes,
    }


def _first_meeting(group: Group, agreements: GroupAgreements) -> dict | None:
    starts = agreements.first_meeting_at
    if starts is None:
        return None
    local = timezone.localtime(starts)
    schedule = group.schedules.current().order_by("starts_on").first()
    return {
        "iso": local.isoformat(),
        "date": day_label(local, year=True),
        "time": local.strftime("%H:%M"),
        "duration_minutes": schedule.duration_minutes if schedule else 120,
        "place": _place(agreements.first_meeting_place),
        "online": bool(group.online_url) and agreements.first_meeting_place is None,
        "is_past": starts <= timezone.now(),
    }


def _guide(group: Group, agreements: GroupAgreements, theme_words: str, rules: list[dict], own_rules: list[str]):
    """The facilitator's first meeting, step by step (chapter 4), filled in with this group."""
    confidentiality = confidentiality_text()
    return [
        {
            "title": _("Ringrazia le persone per essere venute"),
            "say": _(
                "Grazie di essere qui. Venire la prima volta non è facile: il fatto che siate qui è già un passo."
            ),
        },
        {
            "title": _("Spiega lo scopo del gruppo"),
            "say": _(
                "Questo è un gruppo di auto mutuo aiuto su %(theme)s. Ci incontriamo per condividere la nostra "
                "esperienza tra pari: nessuno qui è un esperto che dà consigli."
            )
            % {"theme": theme_words},
        },
        {
            "title": _("Presenta le regole"),
            "say": _("Le regole che ci diamo:"),
            "points": [f"{rule['title']} {rule['text']}" for rule in rules] + own_rules,
        },
        {
            "title": _("Un giro di presentazioni"),
            "say": _(
                "Facciamo un giro di presentazioni: solo il nome, o un nome di fantasia, e se volete perché siete qui. "
                "Chi non vuole parlare può passare."
            ),
        },
        {
            "title": _("La riservatezza e i suoi limiti"),
            "say": confidentiality["rule"],
            "points": [confidentiality["limits"]],
        },
        {
            "title": _("Ricorda il prossimo incontro"),
            "say": _("Il gruppo si incontra %(when)s.") % {"when": _schedule_words(group)}
            if group.schedules.current().exists()
            else _("Decidiamo insieme quando ci rivediamo."),
        },
    ]


def _schedule_words(group: Group) -> str:
    """ "ogni sabato alle 20:30", to follow "Il gruppo si incontra" in a sentence."""
    words = "; ".join(schedule.describe() for schedule in group.schedules.current().order_by("start_time"))
    return words[:1].lower() + words[1:]


def document_context(*, group: Group, language: str) -> dict:
    """The values every founding document is filled in with, in `language` ("it" or "en")."""
    with translation.override(language):
        agreements = agreements_of(group)
        association = group.association
        themes = [theme.name for theme in group.themes.all()]
        theme_words = ", ".join(name.lower() for name in themes) or group.name
        rules = ama_rules()
        own_rules = [line.strip(" -•\t") for line in agreements.own_rules.splitlines() if line.strip(" -•\t")]
        group_url = absolute_url(reverse("directory:group", kwargs={"slug": group.slug}))
        starting_url = absolute_url(reverse("founding:starting_soon", kwargs={"slug": group.slug}))
        criteria = [
            {
                "name": name,
                "label": str(GroupAgreements._meta.get_field(name).verbose_name),
                "confirmed": getattr(agreements, name),
            }
            for name in GroupAgreements.CRITERIA
        ]
        missing = missing_agreements(group)
        return {
            "language": language,
            "generated_on": date_label(timezone.localdate()),
            "association": {
                "name": association.name,
                "city": association.city,
                "email": association.public_email,
                "phone": association.public_phone,
                "website": association.website,
            },
            "group": {
                "name": group.name,
                "slug": group.slug,
                "language": group.language,
                "description": group.description,
                "themes": themes,
                "theme_words": theme_words,
                "audience": str(group.get_audience_display()),
                "status": group.status,
                "start_mode": str(group.get_start_mode_display()) if group.start_mode else "",
                "url": group_url,
                "starting_url": starting_url,
                "calendar_url": absolute_url(reverse("founding:first_meeting_ics", kwargs={"slug": group.slug})),
            },
            # The poster's QR code leads here: the group's public page, which lives on once it is active.
            "qr_url": group_url,
            "free_of_charge": True,
            "free_text": _("La partecipazione è libera e gratuita."),
            "contact_text": _(
                "Per partecipare contatta l'associazione %(association)s: ti accoglie prima del primo incontro. "
                "Non serve dare il tuo vero nome."
            )
            % {"association": association.name},
            "first_meeting": _first_meeting(group, agreements),
            "place": _place(group.venue),
            "online": bool(group.online_url),
            "schedule": _schedule_words(group),
            "agreements": {
                "entry": str(group.get_entry_display()),
                "closed": group.entry == Entry.CLOSED,
                "entry_moments": agreements.entry_moments,
                "joining": str(agreements.get_joining_display()) if agreements.joining else "",
                "max_size": group.max_size,
                "family_may_attend": agreements.family_may_attend,
                "facilitator_count": agreements.facilitator_count,
                "facilitator_kind": str(group.get_facilitator_kind_display()),
                "contact_through_association": agreements.contact_through_association,
                "criteria": criteria,
                "complete": not missing,
                "missing": describe_missing(missing),
            },
            "rules": rules,
            "own_rules": own_rules,
            "confidentiality": confidentiality_text(),
            "guide": _guide(group, agreements, theme_words, rules, own_rules),
        }
