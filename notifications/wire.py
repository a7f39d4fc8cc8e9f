"""E-mails sent by the thousand: the MIME structure is assembled once, then filled in.

Python's email package takes milliseconds to assemble and serialise a multipart message
with an attachment; at 100,000 reminders that would be most of the worker's time. Yet
every reminder has the same structure (text and HTML alternatives, a calendar file,
the same headers); only what goes in the slots differs. So the structure is built
once by the email package with a mark in each slot, serialised, and cut at the marks
into a skeleton; each message is the skeleton's pieces joined with its own header
lines, bodies and attachment.

A message is filled in only where the result is what the email package would have
written: header lines are folded by the same policy, bodies and the calendar file go
in as 8bit text with the same line endings, and a body with a line too long for SMTP
(which the email package would encode as quoted-printable) or an address that needs
encoding makes the message be built the usual way instead. The backends see an
ordinary EmailMessage whose `message()` returns the finished bytes.
"""

import email
import functools
import re
from collections.abc import Iterable
from email import policy as email_policy
from email.utils import formatdate
from functools import cached_property

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers
from django.utils.crypto import get_random_string

# An address that goes in as it is: what Django's sanitize_address leaves unchanged.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_NONCE = get_random_string(12, allowed_chars="abcdefghijklmnopqrstuvwxyz0123456789")
_MARK = re.compile(rf"cerchio-{_NONCE}-([a-z0-9-]+)-x".encode())
_NEWLINES = re.compile(r"\r\n|\r")
_FOLD_WIDTH = 78  # compat32 folds header lines longer than this
_UNBREAKABLE = re.compile(r"[^\s;,]+")  # a header value compat32 has nowhere to fold inside


def _mark(slot: str) -> str:
    # Letters, digits and dashes only: nothing the email package would encode or fold.
    return f"cerchio-{_NONCE}-{slot}-x"


class WireMessage:
    """What `WiredEmail.message()` returns: the finished message, as the backends read it."""

    def __init__(self, raw: bytes):
        self._raw = raw  # "\n" line endings, as the email generator writes them by default

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n", policy=None) -> bytes:
        return self._raw if linesep == "\n" else self._raw.replace(b"\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n", policy=None) -> str:
        return self.as_bytes(linesep=linesep).decode()

    @cached_property
    def _parsed(self):
        return email.message_from_bytes(self._raw, policy=email_policy.compat32)

    # Anything else (headers, parts) is read from the parsed message, as from Django's own.
    def __getitem__(self, name):
        return self._parsed[name]

    def __contains__(self, name):
        return name in self._parsed

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._parsed, name)


class WiredEmail(EmailMultiAlternatives):
    """An e-mail filled into a skeleton; its attributes are the real ones (tests and logs read them)."""

    def __init__(self, *, wire: bytes, **kwargs):
        super().__init__(**kwargs)
        self._wire = wire

    def message(self) -> WireMessage:
        return WireMessage(self._wire)


def header_line(name: str, value: str) -> bytes:
    """`Name: value` as the email package writes it (encoded if need be, folded at 78)."""
    if value.isascii() and "\n" not in value and "\r" not in value:
        if len(name) + 2 + len(value) <= _FOLD_WIDTH:
            return f"{name}: {value}\n".encode()
        if _UNBREAKABLE.fullmatch(value):
            # With no space, comma or semicolon to fold at, compat32 moves the value to its own line.
            return f"{name}: \n {value}\n".encode()
    return _folded(name, value, settings.DEFAULT_CHARSET)


@functools.lru_cache(maxsize=1024)
def _folded(name: str, value: str, charset: str) -> bytes:
    # Cached: a batch's copies share their subject, and encoding it is the slow part.
    name, value = forbid_multi_line_headers(name, value, charset)
    return email_policy.compat32.fold_binary(name, value)


def _body(text: str) -> bytes | None:
    """A body or text attachment as 8bit lines; None if a line is too long to go as it is."""
    data = _NEWLINES.sub("\n", text).encode()
    if (
        len(data) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        and max(map(len, data.split(b"\n"))) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
    ):
        return None
    return data


class Skeleton:
    """One message's structure, cut at its slots: literal bytes and slot names, in order."""

    def __init__(self, pieces: list[bytes | str]):
        self.pieces = pieces

    @classmethod
    def build(cls, *, headers: Iterable[str], attachments: Iterable[tuple[str, str]]) -> "Skeleton":
        headers = list(headers)
        message = EmailMultiAlternatives(
            subject=_mark("subject"),
            body=_mark("text"),
            to=[_mark("to") + "@slot.invalid"],
            headers={
                "Date": _mark("date"),
                "Message-ID": _mark("message-id"),
                **{name: _mark(f"header{n}") for n, name in enumerate(headers)},
            },
        )
        message.attach_alternative(_mark("html"), "text/html")
        for n, (filename, mimetype) in enumerate(attachments):
            message.attach(filename, _mark(f"attachment{n}"), mimetype)
        mime = message.message()
        for part in mime.walk():
            if part.get_content_maintype() == "text":
                # Declared 8bit, which also covers plain ASCII: what goes in may be either.
                del part["Content-Transfer-Encoding"]
                part["Content-Transfer-Encoding"] = "8bit"
        raw = mime.as_bytes(linesep="\n")
        pieces: list[bytes | str] = []
        position = 0
        for found in _MARK.finditer(raw):
            slot = found.group(1).decode()
            start, end = found.span()
            if slot in ("to", "subject", "date", "message-id") or slot.startswith("header"):
                # A header slot is its whole line, written by header_line.
                start = raw.rindex(b"\n", 0, start) + 1
                end = raw.index(b"\n", end) + 1
            pieces += [raw[position:start], slot]
            position = end
        pieces.append(raw[position:])
        return cls(pieces)

    def fill(self, values: dict[str, bytes]) -> bytes:
        return b"".join(piece if isinstance(piece, bytes) else values[piece] for piece in self.pieces)


_SKELETONS: dict[tuple, Skeleton] = {}


def wired_email(
    *,
    subject: str,
    text: str,
    html: str,
    to: str,
    message_id: str,
    headers: dict[str, str],
    attachments: tuple = (),
) -> WiredEmail | None:
    """The e-mail with its wire form filled in, or None when it has to be built the usual way."""
    if not _PLAIN_ADDRESS.fullmatch(to):
        return None
    values = {
        "to": header_line("To", to),
        "subject": header_line("Subject", subject),
        "date": header_line("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
        "message-id": header_line("Message-ID", message_id),
        "text": _body(text),
        "html": _body(html),
    }
    for n, (name, value) in enumerate(headers.items()):
        values[f"header{n}"] = header_line(name, value)
    for n, (_filename, content, mimetype) in enumerate(attachments):
        if not mimetype.startswith("text/"):
            return None
        try:
            values[f"attachment{n}"] = _body(content.decode() if isinstance(content, bytes) else content)
        except UnicodeDecodeError:
            return None
    if any(value is None for value in values.values()):
        return None
    names = tuple(headers)
    files = tuple((filename, mimetype) for filename, _content, mimetype in attachments)
    # The sender and charset are literal parts of the skeleton.
    shape = (names, files, settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
    skeleton = _SKELETONS.get(shape)
    if skeleton is None:
        skeleton = _SKELETONS[shape] = Skeleton.build(headers=names, attachments=files)
    email_message = WiredEmail(
        wire=skeleton.fill(values),
        subject=subject,
        body=text,
        to=[to],
        headers={**headers, "Message-ID": message_id},
    )
    email_message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email_message.attach(filename, content, mimetype)
    return email_message
