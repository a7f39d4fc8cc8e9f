"""The printable documents of a group being started: its pact, the facilitator's
first-meeting guide, the poster (A4) and flyer (A5) of an open invitation, and the
letter for services (targeted invitations).

Typst (its PyPI package, no system libraries) lays them out from the templates in
`founding/typst/` as tagged PDF/UA-1; segno draws the QR code as SVG. Everything a
template prints comes in as JSON data through `sys.inputs` and is inserted as text:
nothing typed by a user is ever read as Typst markup. Only the fonts Typst embeds
are used, so a document looks the same on every machine. See docs/documents.md.

The values come from `founding.documents.document_context` (one set of agreements);
the words around them are translated here with gettext, in the group's language.
No personal names, no personal phone numbers: the contact is the association's.
"""

import io
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import segno
import typst
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from founding.documents import document_context
from network.agreements import agreements_of, describe_missing, missing_agreements
from network.models import Group

TEMPLATES = Path(__file__).resolve().parent / "typst"
# The poster and the flyer must stay on one page: a long description is shortened.
DESCRIPTION_LIMIT = {"poster": 420, "flyer": 260}


class DocumentKind(StrEnum):
    PACT = "pact"
    GUIDE = "guide"
    POSTER = "poster"
    FLYER = "flyer"
    LETTER = "letter"


@dataclass(frozen=True)
class Document:
    template: str
    title: object  # a lazy translation
    filename: dict[str, str]  # language → the file name's words


DOCUMENTS: dict[DocumentKind, Document] = {
    DocumentKind.PACT: Document("pact.typ", gettext_lazy("Patto di gruppo"), {"it": "patto", "en": "pact"}),
    DocumentKind.GUIDE: Document(
        "guide.typ",
        gettext_lazy("Guida al primo incontro"),
        {"it": "guida-primo-incontro", "en": "first-meeting-guide"},
    ),
    DocumentKind.POSTER: Document(
        "invitation.typ", gettext_lazy("Manifesto (A4)"), {"it": "manifesto", "en": "poster"}
    ),
    DocumentKind.FLYER: Document("invitation.typ", gettext_lazy("Volantino (A5)"), {"it": "volantino", "en": "flyer"}),
    DocumentKind.LETTER: Document(
        "letter.typ", gettext_lazy("Lettera di invito per i servizi"), {"it": "lettera-servizi", "en": "letter"}
    ),
}


class DocumentNotReady(Exception):
    """The group lacks what the document needs; `reasons` says what, in the current language."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def document_language(group: Group) -> str:
    """The group's language when Cerchio speaks it, Italian otherwise."""
    spoken = {code for code, _name in settings.LANGUAGES}
    language = (group.language or "")[:2]
    return language if language in spoken else settings.LANGUAGE_CODE


def document_problems(*, group: Group, kind: DocumentKind) -> list[str]:
    """What is missing before this document can be made; empty when it can. In the current language."""
    kind = DocumentKind(kind)
    if kind == DocumentKind.PACT:
        missing = missing_agreements(group)
        return (
            [_("Mancano gli accordi su: %(missing)s.") % {"missing": "; ".join(describe_missing(missing))}]
            if (missing)
            else []
        )
    if kind in (DocumentKind.POSTER, DocumentKind.FLYER):
        agreements = agreements_of(group)
        if agreements.first_meeting_at is None:
            return [_("Manca la data del primo incontro: fissala negli accordi del gruppo.")]
        if agreements.first_meeting_at <= timezone.now():
            return [_("Il primo incontro è già passato: fissa negli accordi la data di quello da promuovere.")]
        if agreements.first_meeting_place is None and not group.online_url:
            return [_("Manca il luogo del primo incontro: scegli una sede negli accordi del gruppo.")]
    return []


def document_filename(*, group: Group, kind: DocumentKind, language: str) -> str:
    words = DOCUMENTS[DocumentKind(kind)].filename
    return f"{group.slug}-{words.get(language, words['it'])}.pdf"


def qr_svg(url: str) -> str:
    """The QR code of `url` as SVG (error correction M: a poster may get a crease or a pin)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=4, xmldecl=False)
    return buffer.getvalue().decode()


def _shorten(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def _duration_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d minuti") % {"minutes": rest}
    hours_words = ngettext("un'ora", "%(hours)d ore", hours) % {"hours": hours}
    if not rest:
        return hours_words
    return _("%(hours)s e %(minutes)d minuti") % {"hours": hours_words, "minutes": rest}


def _contact_labels() -> dict:
    return {
        "email": _("E-mail"),
        "phone": _("Telefono"),
        "website": _("Sito"),
    }


def _meeting(context: dict) -> dict | None:
    first = context["first_meeting"]
    if first is None:
        return None
    place = first["place"]
    notes = []
    if place and place["step_free"]:
        notes.append(_("Accessibile senza gradini."))
    if place and place["transport_notes"]:
        notes.append(place["transport_notes"])
    return {
        "date": first["date"],
        "time": first["time"],
        "when": _("%(date)s, alle %(time)s") % {"date": first["date"], "time": first["time"]},
        "place": place["line"] if place else "",
        "place_name": place["name"] if place else "",
        "place_address": f"{place['address']}, {place['comune']} ({place['province']})" if place else "",
        "online": _("Online: l'associazione manda il collegamento a chi la contatta.") if first["online"] else "",
        "notes": notes,
    }


def _common(context: dict, kind: DocumentKind, title: str) -> dict:
    association = context["association"]
    group = context["group"]
    themes = [name[:1].upper() + name[1:] for name in group["themes"]] or [group["name"]]
    return {
        "kind": str(kind),
        "lang": context["language"],
        "title": title,
        "association": {key: association[key] or "" for key in ("name", "city", "email", "phone", "website")},
        "group": {
            "name": group["name"],
            "themes": ", ".join(themes),
            "theme_words": group["theme_words"],
            "audience": group["audience"],
            "description": group["description"].strip(),
            "url": context["qr_url"],
        },
        "first_meeting": _meeting(context),
        "generated_on": context["generated_on"],
        "free_text": context["free_text"],
        "contact_text": context["contact_text"],
        "labels": {
            **_contact_labels(),
            "generated": _("Preparato con Cerchio il %(date)s") % {"date": context["generated_on"]},
        },
    }


def _pact(context: dict, data: dict, group: Group) -> dict:
    agreements = context["agreements"]
    minutes = [schedule.duration_minutes for schedule in group.schedules.current().order_by("start_time")]
    where = []
    if context["place"]:
        where.append(_("Dove: %(place)s.") % {"place": context["place"]["line"]})
    if context["online"]:
        where.append(
            _("Anche online: il collegamento lo manda l'associazione.")
            if context["place"]
            else _("Online: il collegamento lo manda l'associazione.")
        )
    if context["schedule"]:
        where.append(_("Quando: %(when)s.") % {"when": context["schedule"]})
    if minutes:
        where.append(_("Durata di ogni incontro: %(duration)s.") % {"duration": _duration_words(minutes[0])})
    who = [_("Il gruppo è per: %(audience)s.") % {"audience": data["group"]["audience"]}]
    who.append(_("Il gruppo è %(entry)s.") % {"entry": agreements["entry"]})
    if agreements["closed"] and agreements["entry_moments"]:
        who.append(_("Si entra nel gruppo: %(moments)s.") % {"moments": agreements["entry_moments"]})
    if agreements["joining"]:
        who.append(_("Le nuove persone entrano %(joining)s.") % {"joining": agreements["joining"]})
    who.append(
        ngettext("Al massimo %(count)d partecipante.", "Al massimo %(count)d partecipanti.", agreements["max_size"])
        % {"count": agreements["max_size"]}
    )
    if agreements["family_may_attend"] is True:
        who.append(_("Possono partecipare anche i familiari."))
    elif agreements["family_may_attend"] is False:
        who.append(_("I familiari non partecipano agli incontri."))
    count = agreements["facilitator_count"] or 1
    facilitators = ngettext(
        "Una persona facilita il gruppo: %(kind)s.",
        "%(count)d persone facilitano il gruppo: %(kind)s.",
        count,
    ) % {"count": count, "kind": agreements["facilitator_kind"]}
    facilitators += " " + _(
        "Chi facilita non è un esperto che dà consigli: aiuta il gruppo a funzionare e a rispettare le regole."
    )
    return {
        "intro": _(
            "Questo patto raccoglie gli accordi del gruppo di auto mutuo aiuto «%(group)s» su %(theme)s, promosso "
            "dall'associazione %(association)s. Lo leggiamo insieme al primo incontro e lo rileggiamo quando serve."
        )
        % {
            "group": data["group"]["name"],
            "theme": data["group"]["theme_words"],
            "association": data["association"]["name"],
        },
        "where": where,
        "who": who,
        "facilitators": facilitators,
        "rules": [{"title": rule["title"], "text": rule["text"]} for rule in context["rules"]],
        "own_rules": context["own_rules"],
        "confidentiality": context["confidentiality"],
        "contact": _(
            "Chi vuole partecipare contatta sempre l'associazione, mai direttamente chi fa parte del gruppo. "
            "Fuori dal gruppo nessuno dà i nomi o i numeri degli altri partecipanti."
        ),
        "criteria": [criterion["label"] for criterion in agreements["criteria"] if criterion["confirmed"]],
        "labels": {
            "where": _("Dove e quando ci incontriamo"),
            "who": _("Chi partecipa"),
            "facilitators": _("Chi facilita il gruppo"),
            "rules": _("Le nostre regole"),
            "own_rules": _("Le regole che il gruppo si è dato:"),
            "confidentiality": _("La riservatezza e i suoi limiti"),
            "contact": _("Come si entra in contatto con il gruppo"),
            "criteria": _("Il gruppo è nell'elenco dell'associazione perché:"),
            "first_meeting": _("Il primo incontro"),
            "planned": _("Data prevista:"),
            "shared_on": _("Letto e condiviso insieme al primo incontro, il giorno:"),
        },
    }


def _guide(context: dict, data: dict) -> dict:
    return {
        "intro": _(
            "Una traccia per chi facilita il primo incontro. Le frasi sono solo un esempio: dille con parole tue, "
            "con calma."
        ),
        "steps": [
            {"title": step["title"], "say": step["say"], "items": step.get("items", [])} for step in context["guide"]
        ],
        "labels": {
            "first_meeting": _("Primo incontro:"),
            "date_blank": _("Data del primo incontro:"),
            "steps": _("I passi dell'incontro"),
            "after": _("Dopo l'incontro"),
            "after_text": _(
                "Non si scrive nulla di quello che viene detto nel gruppo. Se qualcosa ti preoccupa, o se la "
                "riservatezza va superata perché qualcuno è in pericolo, parlane con l'associazione."
            ),
        },
    }


def _invitation(context: dict, data: dict, kind: DocumentKind) -> dict:
    data["group"]["description"] = _shorten(data["group"]["description"], DESCRIPTION_LIMIT[kind])
    return {
        "paper": "a4" if kind == DocumentKind.POSTER else "a5",
        "qr_alt": _("Codice QR che porta alla pagina del gruppo: %(url)s") % {"url": data["group"]["url"]},
        "labels": {
            "headline": _("Un nuovo gruppo di auto mutuo aiuto"),
            "for_whom": _("Per chi"),
            "first_meeting": _("Il primo incontro"),
            "join": _("Come partecipare"),
            "scan": _("Inquadra il codice per la pagina del gruppo:"),
        },
    }


def _letter(context: dict, data: dict) -> dict:
    first = data["first_meeting"]
    if first:
        where = first["place"] or first["online"]
        meeting = _("Il primo incontro sarà %(date)s alle %(time)s, presso %(place)s.") % {
            "date": first["date"],
            "time": first["time"],
            "place": where,
        }
        if not first["place"]:
            meeting = _("Il primo incontro sarà %(date)s alle %(time)s. %(online)s") % {
                "date": first["date"],
                "time": first["time"],
                "online": first["online"],
            }
    else:
        meeting = _("L'associazione comunicherà la data del primo incontro alle persone interessate.")
    association = data["association"]["name"]
    return {
        "place_date": ", ".join(part for part in (data["association"]["city"], data["generated_on"]) if part),
        "qr_alt": _("Codice QR che porta alla pagina del gruppo: %(url)s") % {"url": data["group"]["url"]},
        "paragraphs": [
            _(
                "l'associazione %(association)s sta avviando «%(group)s», un nuovo gruppo di auto mutuo aiuto su "
                "%(theme)s, rivolto a: %(audience)s."
            )
            % {
                "group": data["group"]["name"],
                "association": association,
                "theme": data["group"]["theme_words"],
                "audience": data["group"]["audience"],
            },
            _(
                "Nel gruppo le persone si incontrano tra pari per condividere la propria esperienza, con l'aiuto di "
                "un facilitatore. La partecipazione è libera e gratuita, e ciò che si dice nel gruppo resta nel gruppo."
            ),
            meeting,
            _(
                "Se conoscete persone a cui il gruppo può essere utile, potete dare loro questa lettera o il "
                "collegamento alla pagina del gruppo. Sono le persone stesse a contattare l'associazione: non serve "
                "che ci comunichiate i loro nomi."
            ),
        ],
        "labels": {
            "to": _("Ai servizi e alle professioniste e ai professionisti del territorio"),
            "subject": _("Oggetto: un nuovo gruppo di auto mutuo aiuto su %(theme)s")
            % {"theme": data["group"]["theme_words"]},
            "greeting": _("Gentili operatrici e operatori,"),
            "info": _("Per informazioni e per partecipare:"),
            "page": _("La pagina del gruppo:"),
            "thanks": _("Grazie per la collaborazione."),
            "signature": _("Per l'associazione %(association)s") % {"association": association},
        },
    }


def document_data(*, group: Group, kind: DocumentKind, language: str) -> dict:
    """The JSON the template of `kind` is filled with, in `language`."""
    kind = DocumentKind(kind)
    context = document_context(group=group, language=language)
    with translation.override(language):
        data = _common(context, kind, str(DOCUMENTS[kind].title))
        if kind == DocumentKind.PACT:
            data["pact"] = _pact(context, data, group)
        elif kind == DocumentKind.GUIDE:
            data["guide"] = _guide(context, data)
        elif kind == DocumentKind.LETTER:
            data["letter"] = _letter(context, data)
        else:
            data["invitation"] = _invitation(context, data, kind)
        data["title"] = f"{data['title']}: {data['group']['name']}"
    return data


def render_document(*, group: Group, kind: DocumentKind, language: str) -> bytes:
    """The document as a tagged PDF/UA-1, in `language`; DocumentNotReady when the group lacks what it needs."""
    kind = DocumentKind(kind)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"no documents in {language!r}")
    problems = document_problems(group=group, kind=kind)
    if problems:
        raise DocumentNotReady(problems)
    data = document_data(group=group, kind=kind, language=language)
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    if kind in (DocumentKind.POSTER, DocumentKind.FLYER, DocumentKind.LETTER):
        inputs["qr"] = qr_svg(data["group"]["url"])
    return typst.compile(
        str(TEMPLATES / DOCUMENTS[kind].template),
        root=str(TEMPLATES),
        sys_inputs=inputs,
        pdf_standards=["ua-1"],
        ignore_system_fonts=True,
    )
