"""The registry of message kinds, and how a message becomes an e-mail.

A feature app registers its kinds in its AppConfig.ready():

    register_kind("invitation", template="invitation", still_wanted=invitation_is_open)

The templates live in templates/notifications/<template>/ as subject.txt, body.txt and
body.html. Subjects stay generic: never a group's name or theme, which could tell whoever
glances at an inbox what someone is going through.
"""

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from lib.site import absolute_url, site_host
from notifications.wire import wired_email

if TYPE_CHECKING:
    from notifications.models import OutboxMessage


@dataclass(frozen=True)
class Extras:
    """What a kind adds to one message at sending time: context, e-mail headers, attachments."""

    context: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    # (filename, content, MIME type), e.g. ("incontro.ics", b"BEGIN:VCALENDAR…", "text/calendar")
    attachments: tuple = ()
    # For messages sent to many people with the same text: the values that differ per recipient
    # (their own links). When given, the templates are rendered once per language and `context`
    # (which then holds everything else they need; the row's own context is not used), and these
    # values are put in afterwards, escaped for HTML.
    personal: dict | None = None


@dataclass(frozen=True)
class MessageKind:
    name: str
    template: str
    still_wanted: "Callable[[OutboxMessage], bool] | None" = None
    build_context: "Callable[[OutboxMessage], dict] | None" = None
    # Context used by the test that renders every kind (ids and plain values, like the real one).
    sample_context: dict | None = None
    # The context is emptied once the message is sent (it carries a one-time link, even if encrypted).
    forget_when_sent: bool = False
    # For kinds sent by the thousand: given the claimed messages of this kind, returns for each
    # pk its Extras, or None when it is no longer wanted; a few queries for the whole batch
    # instead of still_wanted and build_context once per message.
    prepare: "Callable[[list[OutboxMessage]], dict[int, Extras | None]] | None" = None


KINDS: dict[str, MessageKind] = {}


def register_kind(
    name: str,
    *,
    template: str,
    still_wanted: "Callable[[OutboxMessage], bool] | None" = None,
    build_context: "Callable[[OutboxMessage], dict] | None" = None,
    sample_context: dict | None = None,
    forget_when_sent: bool = False,
    prepare: "Callable[[list[OutboxMessage]], dict[int, Extras | None]] | None" = None,
) -> MessageKind:
    """Declare a kind of message. Registering the same name twice with other values is an error."""
    kind = MessageKind(name, template, still_wanted, build_context, sample_context, forget_when_sent, prepare)
    if name in KINDS and KINDS[name] != kind:
        raise ValueError(f"Message kind {name!r} is already registered")
    KINDS[name] = kind
    return kind


def get_kind(name: str) -> MessageKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"No message kind {name!r} is registered") from None


def message_id(kind: str, key: str) -> str:
    """The same (kind, key) always gets the same Message-ID, so a resend is recognisable."""
    digest = hashlib.sha256(f"{kind}\x00{key}".encode()).hexdigest()[:40]
    return f"<{digest}@{site_host()}>"


_SHARED: "OrderedDict[str, tuple[str, str, str]]" = OrderedDict()
_SHARED_SIZE = 512


def _placeholder(name: str) -> str:
    return f"\x1a{name}\x1a"


def _render_shared(kind: MessageKind, language: str, context: dict, personal: dict) -> tuple[str, str, str]:
    """Subject, text and HTML rendered once for everyone who gets the same text."""
    key = json.dumps([kind.name, language, context, sorted(personal)], sort_keys=True, default=str)
    rendered = _SHARED.get(key)
    if rendered is None:
        rendered = _render(kind, language, {**context, **{name: _placeholder(name) for name in personal}})
        _SHARED[key] = rendered
        if len(_SHARED) > _SHARED_SIZE:
            _SHARED.popitem(last=False)
    return rendered


def _render(kind: MessageKind, language: str, context: dict) -> tuple[str, str, str]:
    folder = f"notifications/{kind.template}"
    with translation.override(language):
        subject = render_to_string(f"{folder}/subject.txt", context).strip()
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", context)
    return subject, text, html


def render_message(message: "OutboxMessage", extras: Extras | None = None) -> EmailMultiAlternatives:
    """The e-mail for an outbox row, in the recipient's language, plain text and HTML.

    `extras` (from the kind's `prepare`) adds context, headers such as List-Unsubscribe,
    and attachments such as a meeting's calendar file.
    """
    kind = get_kind(message.kind)
    context = {"site_url": settings.CERCHIO_SITE_URL, "home_url": absolute_url(f"/{message.language}/")}
    if extras is not None and extras.personal is not None:
        context.update(extras.context)
        subject, text, html = _render_shared(kind, message.language, context, extras.personal)
        for name, value in extras.personal.items():
            text = text.replace(_placeholder(name), str(value))
            html = html.replace(_placeholder(name), escape(str(value)))
        # Sent by the thousand: filled into a skeleton, unless it needs the email package's care.
        wired = wired_email(
            subject=subject,
            text=text,
            html=html,
            to=message.recipient,
            message_id=message_id(message.kind, message.key),
            headers=extras.headers,
            attachments=extras.attachments,
        )
        if wired is not None:
            return wired
    else:
        context.update(message.context)
        if kind.build_context:
            context.update(kind.build_context(message))
        if extras is not None:
            context.update(extras.context)
        subject, text, html = _render(kind, message.language, context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[message.recipient],
        headers={**(extras.headers if extras else {}), "Message-ID": message_id(message.kind, message.key)},
    )
    email.attach_alternative(html, "text/html")
    for filename, content, mimetype in extras.attachments if extras else ():
        email.attach(filename, content, mimetype)
    return email
