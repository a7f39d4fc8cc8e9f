"""HEAD works wherever GET does: link checkers and uptime monitors use it."""

from datetime import date

import pytest

from network.tests.factories import make_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/it/", "/en/", "/it/groups/", "/it/groups/?place=Trento", "/it/groups/uno/", "/groups/uno/calendar.ics"]
)
def test_head_answers_200_with_no_body(client, url):
    make_group(slug="uno", today=date.today())
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]


def test_head_on_an_unknown_group_is_404(client):
    assert client.head("/it/groups/non-esiste/").status_code == 404


def test_post_to_a_directory_page_is_still_refused(client):
    assert client.post("/it/groups/").status_code == 405
