"""The printable documents: what they say, that they are tagged PDF/UA-1, the QR code, hostile text."""

import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from founding.documents import document_context
from founding.pdf import (
    DocumentKind,
    DocumentNotReady,
    document_filename,
    document_problems,
    qr_svg,
    render_document,
)
from founding.tests.pdf_world import (
    FACILITATOR_NICKNAME,
    FACILITATOR_PHONE,
    decoded_qr_codes,
    pdf_pages,
    pdf_text,
    starting_group,
)
from lib.site import absolute_url
from network import services
from network.agreements import agreements_of, group_agreements_set
from network.tests.factories import AssociationFactory

ALL_KINDS = list(DocumentKind)
LANGUAGES = ["it", "en"]
# Words each document says in its language (its own title and a label only it carries).
WORDS = {
    ("pact", "it"): ["Patto di gruppo", "Le nostre regole", "Letto e condiviso insieme al primo incontro"],
    ("pact", "en"): ["Group pact", "Our rules", "Read and shared together at the first meeting"],
    ("guide", "it"): ["Guida al primo incontro", "Ringrazia le persone per essere venute"],
    ("guide", "en"): ["First-meeting guide", "The steps of the meeting"],
    ("poster", "it"): ["Un nuovo gruppo di auto mutuo aiuto", "Per chi", "Come partecipare"],
    ("poster", "en"): ["A new self-help group", "Who it's for", "How to take part"],
    ("flyer", "it"): ["Un nuovo gruppo di auto mutuo aiuto", "Per chi"],
    ("flyer", "en"): ["A new self-help group", "Who it's for"],
    ("letter", "it"): ["Gentili operatrici e operatori", "non serve che ci comunichiate i loro nomi"],
    ("letter", "en"): ["Dear colleagues", "you need not tell us their names"],
}
HOSTILE = r"#set page(fill: red) $x^2$ *bold* _it_ `raw` @ref <label> \ ] [ #eval(\"1\") // /* #import"


def _first_meeting_words(group, language: str) -> tuple[str, str]:
    """The first meeting's day and time as the documents' data say them (one way of writing dates)."""
    first = document_context(group=group, language=language)["first_meeting"]
    starts = timezone.localtime(agreements_of(group).first_meeting_at)
    assert str(starts.day) in first["date"] and str(starts.year) in first["date"]
    return first["date"], starts.strftime("%H:%M")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_each_document_carries_the_groups_details_in_its_language(db, kind, language):
    group = starting_group(language=language)
    text = pdf_text(render_document(group=group, kind=kind, language=language))

    for words in WORDS[(kind, language)]:
        assert words in text, words
    assert ("lutto" if language == "it" else "grief") in text.lower()  # the theme in human words
    assert "Lutto, Rovereto" in text  # the group's name
    day, hour = _first_meeting_words(group, language)
    assert day in text and hour in text
    assert "Casa delle associazioni" in text and "Via Dante 12" in text
    # The association's contact, never a person's.
    assert "Associazione Auto Mutuo Aiuto Trento" in text
    assert "accoglienza@ama-documenti.example.org" in text
    if kind != DocumentKind.GUIDE:
        assert "0461 239 640" in text
    assert FACILITATOR_NICKNAME not in text and FACILITATOR_PHONE not in text and "ginevra" not in text.lower()


@pytest.mark.parametrize("kind", [DocumentKind.POSTER, DocumentKind.FLYER])
def test_the_poster_and_the_flyer_say_it_is_free_and_who_it_is_for(db, kind):
    group = starting_group()
    text = pdf_text(render_document(group=group, kind=kind, language="it"))
    assert "La partecipazione è libera e gratuita." in text
    assert "persone che vivono il problema" in text
    assert "Per chi ha perso una persona cara" in text
    assert pdf_pages(render_document(group=group, kind=kind, language="it")) == 1


def test_the_pact_holds_the_agreements(db):
    group = starting_group(entry_moments="a gennaio e a settembre")
    text = pdf_text(render_document(group=group, kind=DocumentKind.PACT, language="it"))
    assert "Si entra nel gruppo: a gennaio e a settembre." in text
    assert "Al massimo 10 partecipanti." in text
    assert "I familiari non partecipano agli incontri." in text
    assert "Si spengono i telefoni." in text and "Si arriva puntuali." in text  # the group's own rules
    assert "Riservatezza." in text and "un minore in pericolo" in text  # confidentiality and its limit
    assert "Durata di ogni incontro: un'ora e 30 minuti." in text
    assert "è autogestito" in text  # a listing criterion


def test_the_guide_walks_the_first_meeting(db):
    group = starting_group()
    text = pdf_text(render_document(group=group, kind=DocumentKind.GUIDE, language="it"))
    for step in (
        "Ringrazia le persone per essere venute",
        "Spiega lo scopo del gruppo",
        "Presenta le regole",
        "Un giro di presentazioni",
        "La riservatezza e i suoi limiti",
    ):
        assert step in text
    assert "nome di fantasia" in text
    assert text.index("Ringrazia") < text.index("Spiega lo scopo") < text.index("Un giro di presentazioni")


@pytest.mark.parametrize(
    ("kind", "language"),
    [(DocumentKind.POSTER, "it"), (DocumentKind.FLYER, "it"), (DocumentKind.POSTER, "en"), (DocumentKind.LETTER, "en")],
)
def test_the_qr_code_read_from_the_printed_page_leads_to_the_groups_page(db, kind, language):
    group = starting_group(language=language)
    pdf = render_document(group=group, kind=kind, language=language)
    with translation.override(language):
        expected = absolute_url(reverse("directory:group", kwargs={"slug": group.slug}))
    assert decoded_qr_codes(pdf) == [expected]
    assert expected in pdf_text(pdf)  # also written out, for whoever has no camera


def test_the_qr_code_itself_encodes_the_address(db):
    svg = qr_svg("https://gruppi.example.org/it/groups/lutto/")
    assert svg.startswith("<svg") and "<path" in svg


def _struct_elements(node, found: list):
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for item in node:
            _struct_elements(item, found)
        return
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return
    if "/S" in node:
        found.append(node)
    if "/K" in node:
        _struct_elements(node["/K"], found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_documents_are_tagged_pdf_ua(db, kind, language):
    group = starting_group(language=language)
    reader = pypdf.PdfReader(io.BytesIO(render_document(group=group, kind=kind, language=language)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith(language)
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)
    assert "Lutto, Rovereto" in xmp  # the title names the group
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    elements = []
    _struct_elements(root["/StructTreeRoot"], elements)
    kinds = {str(element["/S"]) for element in elements}
    assert "/H1" in kinds and "/P" in kinds
    if kind in (DocumentKind.POSTER, DocumentKind.FLYER, DocumentKind.LETTER):
        figures = [element for element in elements if element["/S"] == "/Figure"]
        assert figures and all(group.slug in str(figure["/Alt"]) for figure in figures)


def test_hostile_text_is_printed_as_typed_and_never_breaks_the_document(db):
    group = starting_group(
        own_rules=f"Regola {HOSTILE}\n- {HOSTILE}",
        association_name=f"AMA {HOSTILE}",
        group_name="Gruppo #1 $ * _ ` @ < > \\",
        description=f"Descrizione {HOSTILE}",
        venue_name="Sala <1> @centro #2",
    )
    for language in LANGUAGES:
        for kind in ALL_KINDS:
            pdf = render_document(group=group, kind=kind, language=language)
            text = pdf_text(pdf)
            assert HOSTILE in text, (kind, language)  # the association's name, literally
            assert "Gruppo #1 $ * _ ` @ < > \\" in text
            if kind != DocumentKind.GUIDE:
                assert "Sala <1> @centro #2" in text
            if kind in (DocumentKind.POSTER, DocumentKind.FLYER):
                assert f"Descrizione {HOSTILE}" in text
            if kind == DocumentKind.PACT:
                assert f"Regola {HOSTILE}" in text
            # No markup was run: the page was not painted, the document kept its pages.
            assert pdf_pages(pdf) <= 3


def test_a_long_description_is_shortened_so_the_poster_stays_on_one_page(db):
    group = starting_group(description="Una frase che si ripete per riempire la pagina. " * 80)
    for kind in (DocumentKind.POSTER, DocumentKind.FLYER):
        pdf = render_document(group=group, kind=kind, language="it")
        assert pdf_pages(pdf) == 1
        assert "…" in pdf_text(pdf)


def test_without_agreements_the_pact_says_what_is_missing(db):
    group = starting_group(with_agreements=False)
    with pytest.raises(DocumentNotReady) as refused:
        render_document(group=group, kind=DocumentKind.PACT, language="it")
    assert "come entrano le nuove persone" in refused.value.reasons[0]
    assert "l'adesione alle regole dell'auto mutuo aiuto" in refused.value.reasons[0]
    with translation.override("en"):
        reasons = document_problems(group=group, kind=DocumentKind.PACT)
    assert reasons and "Missing agreements" in reasons[0]


@pytest.mark.parametrize("kind", [DocumentKind.POSTER, DocumentKind.FLYER])
def test_without_a_first_meeting_the_poster_says_so(db, kind):
    group = starting_group(with_agreements=False)
    with pytest.raises(DocumentNotReady) as refused:
        render_document(group=group, kind=kind, language="it")
    assert "primo incontro" in refused.value.reasons[0]


def test_a_first_meeting_in_the_past_is_not_promoted(db, time_machine):
    group = starting_group()
    time_machine.move_to(agreements_of(group).first_meeting_at + timezone.timedelta(days=1))
    assert "già passato" in document_problems(group=group, kind=DocumentKind.POSTER)[0]
    assert document_problems(group=group, kind=DocumentKind.PACT) == []


def test_the_guide_and_the_letter_need_no_first_meeting(db):
    group = starting_group(with_agreements=False)
    guide = pdf_text(render_document(group=group, kind=DocumentKind.GUIDE, language="it"))
    assert "Data del primo incontro:" in guide  # a line to write it on
    letter = pdf_text(render_document(group=group, kind=DocumentKind.LETTER, language="it"))
    assert "comunicherà la data del primo incontro" in letter


def test_the_pact_leaves_space_for_the_first_meetings_date_even_when_it_is_set(db):
    group = starting_group()
    group_agreements_set(group=group, by=None, first_meeting_at=None)
    text = pdf_text(render_document(group=group, kind=DocumentKind.PACT, language="it"))
    assert "Data prevista" not in text
    assert "Letto e condiviso insieme al primo incontro, il giorno:" in text


def test_file_names_follow_the_language(db):
    group = starting_group()
    assert document_filename(group=group, kind=DocumentKind.POSTER, language="it") == "lutto-rovereto-manifesto.pdf"
    assert document_filename(group=group, kind=DocumentKind.POSTER, language="en") == "lutto-rovereto-poster.pdf"


def test_an_unknown_language_is_refused(db):
    group = starting_group()
    with pytest.raises(ValueError):
        render_document(group=group, kind=DocumentKind.GUIDE, language="de")


def test_an_online_group_promotes_its_first_meeting_without_a_place(db):
    group = starting_group()
    services.group_update(group=group, by=None, venue=None, online_url="https://meet.example.org/lutto")
    group.refresh_from_db()
    assert agreements_of(group).first_meeting_place is None
    for kind in (DocumentKind.POSTER, DocumentKind.LETTER, DocumentKind.PACT, DocumentKind.GUIDE):
        text = pdf_text(render_document(group=group, kind=kind, language="it"))
        assert "collegamento" in text, kind
        assert "Anche online" not in text
        assert "meet.example.org" not in text  # the link goes only to whoever contacts the association


def test_only_the_contact_lines_the_association_filled_in_are_printed(db):
    association = AssociationFactory(slug="solo-email", name="AMA Sola", public_email="scrivi@example.org")
    association.public_phone = ""
    association.website = ""
    association.save()
    group = starting_group(association=association)
    text = pdf_text(render_document(group=group, kind=DocumentKind.POSTER, language="it"))
    assert "E-mail: scrivi@example.org" in text
    assert "Telefono" not in text and "Sito" not in text
