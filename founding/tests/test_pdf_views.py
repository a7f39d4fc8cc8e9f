"""Downloading the documents from the workspace: who may, what they get, and what is missing."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from founding.tests.pdf_world import pdf_text, starting_group
from network.models import GroupMembership, GroupRole

KIT = ["founding_poster_pdf", "founding_flyer_pdf", "founding_letter_pdf"]
GROUP_DOCUMENTS = ["founding_pact_pdf", "founding_guide_pdf"]


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    """A request to an /en/ page leaves English active in the thread: later tests expect the default."""
    yield
    translation.deactivate()


def _url(name: str, group, language: str = "it") -> str:
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs={"slug": group.slug})


def _facilitator(group):
    return GroupMembership.objects.get(group=group, role=GroupRole.FACILITATOR).user


@pytest.mark.parametrize("name", KIT + GROUP_DOCUMENTS)
def test_a_coordinator_downloads_every_document_of_a_group_of_the_association(
    client, association_x, coordinator_x, name
):
    group = starting_group(association=association_x)
    client.force_login(coordinator_x)
    response = client.get(_url(name, group))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{group.slug}-')
    assert response.content.startswith(b"%PDF-")
    assert "AMA X" in pdf_text(response.content)


def test_the_document_is_in_the_groups_language_whatever_the_pages_language(client, association_x, coordinator_x):
    group = starting_group(association=association_x, language="en")
    client.force_login(coordinator_x)
    response = client.get(_url("founding_poster_pdf", group, language="it"))
    assert "A new self-help group" in pdf_text(response.content)
    assert response["Content-Disposition"] == f'attachment; filename="{group.slug}-poster.pdf"'


def test_a_facilitator_gets_the_pact_and_the_guide_but_not_the_promotion_kit(client, association_x):
    group = starting_group(association=association_x)
    client.force_login(_facilitator(group))
    for name in GROUP_DOCUMENTS:
        assert client.get(_url(name, group)).status_code == 200
    for name in KIT:
        # Facilitators hold no association capability at all: the workspace refuses them (403).
        assert client.get(_url(name, group)).status_code == 403


def test_another_groups_facilitator_and_another_association_see_nothing(
    client, association_x, facilitator_b, coordinator_y
):
    group = starting_group(association=association_x)
    client.force_login(facilitator_b)
    for name in GROUP_DOCUMENTS:
        assert client.get(_url(name, group)).status_code == 404
    client.force_login(coordinator_y)
    for name in KIT + GROUP_DOCUMENTS:
        assert client.get(_url(name, group)).status_code == 404


def test_missing_agreements_give_a_clear_message_not_an_error(client, association_x, coordinator_x):
    group = starting_group(association=association_x, with_agreements=False)
    client.force_login(coordinator_x)
    response = client.get(_url("founding_pact_pdf", group))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Il documento non si può ancora preparare" in page
    assert "come entrano le nuove persone" in page
    response = client.get(_url("founding_poster_pdf", group, language="en"))
    assert response.status_code == 409
    assert "The first meeting&#x27;s date is missing" in response.content.decode()


def _documents_section(user, group) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("it"):
        return render_to_string("workspace/_founding_documents.html", {"group": group}, request=request)


def test_the_include_lists_the_documents_each_person_may_download(db, association_x, coordinator_x):
    group = starting_group(association=association_x)
    html = _documents_section(coordinator_x, group)
    for name in KIT + GROUP_DOCUMENTS:
        assert f'href="{_url(name, group)}"' in html
    html = _documents_section(_facilitator(group), group)
    assert f'href="{_url("founding_guide_pdf", group)}"' in html
    assert f'href="{_url("founding_poster_pdf", group)}"' not in html


def test_the_include_says_what_is_missing_instead_of_a_link(db, association_x, coordinator_x):
    group = starting_group(association=association_x, with_agreements=False)
    html = _documents_section(coordinator_x, group)
    assert f'href="{_url("founding_poster_pdf", group)}"' not in html
    assert "Manca la data del primo incontro" in html
    assert f'href="{_url("founding_letter_pdf", group)}"' in html  # the letter needs no date
    assert "che si vede da quando il gruppo è pubblicato" in html  # a planned group has no public page yet


def test_the_include_shows_nothing_to_someone_without_a_role(db, association_x, outsider):
    group = starting_group(association=association_x)
    assert "href" not in _documents_section(outsider, group)
