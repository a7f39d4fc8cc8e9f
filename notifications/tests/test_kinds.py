"""Every registered kind renders, in every language, with a one-line subject."""

import email

import pytest
from django.conf import settings

from lib.site import absolute_url
from notifications.kinds import KINDS, message_id, render_message
from notifications.models import OutboxMessage


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_registered_kind_renders_with_a_one_line_subject(name, language):
    kind = KINDS[name]
    assert kind.sample_context is not None, f"register {name!r} with a sample_context"
    message = OutboxMessage(kind=name, key="sample", recipient="persona@example.org", language=language)
    message.context = dict(kind.sample_context)
    rendered = render_message(message)
    assert rendered.subject and "\n" not in rendered.subject and len(rendered.subject) <= 78
    assert rendered.body.strip()
    assert rendered.alternatives[0].mimetype == "text/html"


def test_the_message_id_is_stable_and_names_the_site(settings):
    settings.CERCHIO_SITE_URL = "https://gruppi.example.org"
    assert message_id("invitation", "42:v1") == message_id("invitation", "42:v1")
    assert message_id("invitation", "42:v1") != message_id("invitation", "42:v2")
    assert message_id("a", "b:c") != message_id("a:b", "c")
    assert message_id("invitation", "42:v1").endswith("@gruppi.example.org>")


def test_links_are_absolute_from_the_site_address(settings):
    settings.CERCHIO_SITE_URL = "https://gruppi.example.org"
    assert absolute_url("/it/groups/") == "https://gruppi.example.org/it/groups/"
    for bad in ("it/groups/", "//evil.example.org/"):
        with pytest.raises(ValueError):
            absolute_url(bad)


def test_the_mail_folder_holds_one_file_per_message_even_when_sent_twice(tmp_path, settings):
    from django.core.mail import EmailMultiAlternatives, get_connection

    connection = get_connection("notifications.backends.MailFolderBackend", file_path=str(tmp_path))
    for _ in range(2):
        message = EmailMultiAlternatives("Oggetto", "Testo", to=["a@example.org"], headers={"Message-ID": "<abc@x>"})
        connection.send_messages([message])
    other = EmailMultiAlternatives("Oggetto", "Testo", to=["a@example.org"], headers={"Message-ID": "<def@x>"})
    connection.send_messages([other])
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["abc@x.eml", "def@x.eml"]
    parsed = email.message_from_bytes((tmp_path / "abc@x.eml").read_bytes())
    assert parsed["Message-ID"] == "<abc@x>" and parsed["Subject"] == "Oggetto"
