"""E-mails filled into a skeleton must read exactly like the ones the email package builds."""

import email
import random
import string
from email import policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import forbid_multi_line_headers
from django.test import override_settings

from notifications.wire import WiredEmail, header_line, wired_email

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Incontro (Cerchio)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
LEAVE = "https://gruppi.example.org/it/following/leave/eyJmIjoxLCJnIjoxLCJzIjoiMDAwMDAwMDAwMDAwMDAwMCJ9:1vS2cB:abc/"


def message_values(**changes) -> dict:
    values = {
        "subject": "Cerchio: prossimo incontro martedì 14 alle 20:30",
        "text": "Cerchio: prossimo incontro martedì 14 aprile alle 20:30.\r\n\r\nNon seguire più: " + LEAVE + "\n",
        "html": '<p>Martedì 14 aprile &amp; «sala civica»</p>\n<a href="' + LEAVE + '">esci</a>\n',
        "to": "persona1@example.org",
        "message_id": "<0123456789abcdef@gruppi.example.org>",
        "headers": {"List-Unsubscribe": f"<{LEAVE}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        "attachments": (("incontro.ics", ICS, "text/calendar"),),
    }
    return {**values, **changes}


def built_the_usual_way(values: dict) -> email.message.Message:
    usual = EmailMultiAlternatives(
        subject=values["subject"],
        body=values["text"],
        to=[values["to"]],
        headers={**values["headers"], "Message-ID": values["message_id"]},
    )
    usual.attach_alternative(values["html"], "text/html")
    for attachment in values["attachments"]:
        usual.attach(*attachment)
    return email.message_from_bytes(usual.message().as_bytes(linesep="\r\n"), policy=policy.default)


def parts(message: email.message.Message) -> list[tuple[str, str | None, bytes]]:
    return [
        (part.get_content_type(), part.get_filename(), part.get_payload(decode=True))
        for part in message.walk()
        if not part.is_multipart()
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"subject": "Cerchio: next meeting Tuesday 14 at 20:30"},
        {"subject": "Cerchio:" + " incontro spostato," * 8},  # long enough to be folded
        {"text": "Only ASCII here\n", "html": "<p>ASCII</p>"},
        {"attachments": ()},
    ],
)
def test_a_wired_email_parses_to_what_the_email_package_builds(changes):
    values = message_values(**changes)
    wired = wired_email(**values)
    assert isinstance(wired, WiredEmail)
    raw = wired.message().as_bytes(linesep="\r\n")
    ours = email.message_from_bytes(raw, policy=policy.default)
    usual = built_the_usual_way(values)
    assert sorted(ours.keys()) == sorted(usual.keys())
    for name in usual:
        if name not in ("Content-Type", "Date"):  # the boundaries and the second differ
            assert str(ours[name]) == str(usual[name]), name
    assert ours["Subject"] == values["subject"]
    assert parts(ours) == parts(usual)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # SMTP line endings throughout


def test_each_copy_gets_its_own_recipient_and_links():
    first = wired_email(**message_values())
    second = wired_email(
        **message_values(to="persona2@example.org", message_id="<2@x>", text="altro " + LEAVE.replace("abc", "xyz"))
    )
    first_raw, second_raw = first.message().as_bytes(), second.message().as_bytes()
    assert b"persona1@example.org" in first_raw and b"persona2@example.org" not in first_raw
    assert b"persona2@example.org" in second_raw and b"<2@x>" in second_raw
    assert b"cerchio-" not in first_raw + second_raw  # no slot mark is ever left behind


@pytest.mark.parametrize(
    "changes",
    [
        {"to": "persönlich@example.org"},  # needs the email package's encoding
        {"to": "Persona <persona@example.org>"},
        {"text": "x" * 1200},  # a line SMTP cannot carry: the email package would use quoted-printable
        {"attachments": (("elenco.pdf", b"%PDF-1.7", "application/pdf"),)},
        {"attachments": (("incontro.ics", b"\xff\xfe", "text/calendar"),)},
    ],
)
def test_what_a_skeleton_cannot_carry_is_left_to_the_email_package(changes):
    assert wired_email(**message_values(**changes)) is None


@override_settings(DEFAULT_FROM_EMAIL="Associazione <ama@example.org>")
def test_the_sender_is_the_one_configured_now():
    raw = wired_email(**message_values()).message().as_bytes()
    assert email.message_from_bytes(raw, policy=policy.default)["From"] == "Associazione <ama@example.org>"


def test_backends_send_the_wired_bytes(tmp_path, monkeypatch):
    wired = wired_email(**message_values())
    handed = []

    class Connection:
        def sendmail(self, sender, recipients, message):
            handed.append((recipients, message))

    backend = SMTPBackend(fail_silently=False)
    backend.connection = Connection()
    assert backend.send_messages([wired]) == 1
    ((recipients, sent),) = handed
    assert recipients == ["persona1@example.org"]
    assert sent == wired.message().as_bytes(linesep="\r\n")
    # The test backend keeps the e-mail itself, whose attributes are the real ones.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        wired.connection = None
        wired.send()
    assert mail.outbox[0].subject == message_values()["subject"]
    assert mail.outbox[0].extra_headers["List-Unsubscribe"] == f"<{LEAVE}>"
    assert mail.outbox[0].message()["To"] == "persona1@example.org"


def test_header_lines_are_folded_as_the_email_package_folds_them():
    randomly = random.Random(8058)
    alphabet = string.ascii_letters + string.digits + "<>/:._-=@ ;,àè"
    for _ in range(2000):
        name = randomly.choice(["List-Unsubscribe", "Subject", "Message-ID", "X-Cerchio"])
        value = "".join(randomly.choice(alphabet) for _ in range(randomly.randint(1, 240))).strip()
        if not value:
            continue
        usual_name, usual_value = forbid_multi_line_headers(name, value, "utf-8")
        assert header_line(name, value) == policy.compat32.fold_binary(usual_name, usual_value), (name, value)
