"""The newcomer's side: the request form, its confirmation, and the signed link to see, export or withdraw it.

No account is needed. Abuse is slowed without third-party CAPTCHAs (they track people):
limits per client and per contact, a honeypot field, size limits, and a one-time token
in the form so a double tap or a reload creates one request.
"""

import hashlib
import re

from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intake import services
from intake.forms import RequestForm, new_submission_token
from intake.links import request_from_token, request_token
from intake.models import IntakeRequest
from lib.client import client_ip
from network.models import Group, Theme
from privacy.audit import audit
from privacy.models import AuditAction
from privacy.services import export_json

SENT_KEY = "intake_sent"
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _limit_keys(request: HttpRequest, form: RequestForm) -> list[tuple[str, str]]:
    keys = [("intake_request", f"ip:{client_ip(request)}")]
    for field in ("email", "phone"):
        value = form.cleaned_data.get(field)
        if value:
            digest = hashlib.sha256(services.contact_index(value).encode()).hexdigest()
            keys.append(("intake_request_contact", digest))
    return keys


def _query(request: HttpRequest, name: str, limit: int) -> str:
    """A query-string value, cut to size and without NUL characters (the database refuses them)."""
    return " ".join((request.GET.get(name) or "").replace("\x00", "").split())[:limit]


def _initial(request: HttpRequest) -> tuple[dict, Group | None]:
    initial = {"token": new_submission_token()}
    group = None
    slug = _query(request, "group", 120)
    if slug and _SLUG.match(slug):
        group = Group.objects.public().select_related("association", "venue").filter(slug=slug).first()
    if group is not None:
        initial["group"] = group.slug
        theme = group.themes.order_by("pk").first()
        if theme is not None:
            initial["theme"] = theme.slug
        if group.venue_id:
            initial["town"] = group.venue.comune
    theme_slug = _query(request, "theme", 80)
    if theme_slug and _SLUG.match(theme_slug) and Theme.objects.filter(slug=theme_slug).exists():
        initial["theme"] = theme_slug
    town = _query(request, "town", services.MAX_TOWN)
    if town:
        initial["town"] = town
    return initial, group


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial, group = _initial(request)
        return render(request, "intake/request_form.html", {"form": RequestForm(initial=initial), "group": group})
    form = RequestForm(request.POST)
    group = None
    if form.is_valid():
        slug = form.cleaned_data.get("group")
        group = Group.objects.public().select_related("association").filter(slug=slug).first() if slug else None
        token = form.cleaned_data["token"]
        already = IntakeRequest.objects.filter(submission_token=token).first()
        if already is not None:
            return _sent(request, already)
        keys = _limit_keys(request, form)
        if not all(ratelimit.consume(request, action=action, key=key, dry_run=True) for action, key in keys):
            form.add_error(
                None,
                _(
                    "Abbiamo ricevuto molte richieste in poco tempo da qui o con questi recapiti. "
                    "Riprova più tardi, oppure telefona all'associazione."
                ),
            )
            return render(request, "intake/request_form.html", {"form": form, "group": group}, status=429)
        association = services.association_for_request(
            group=group, theme=form.cleaned_data["theme"], town=form.cleaned_data["town"]
        )
        if association is None:
            form.add_error(None, _("Nessuna associazione riceve ancora richieste da Cerchio: riprova più avanti."))
        else:
            try:
                intake_request, created = services.request_submit(
                    association=association,
                    asked_group=group,
                    language=(get_language() or "it")[:2],
                    **form.submit_kwargs(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if created:
                    for action, key in keys:
                        ratelimit.consume(request, action=action, key=key)
                return _sent(request, intake_request)
    return render(request, "intake/request_form.html", {"form": form, "group": group}, status=400)


def _sent(request: HttpRequest, intake_request: IntakeRequest) -> HttpResponse:
    # The confirmation is shown through the session, so its link never sits in the address bar.
    request.session[SENT_KEY] = intake_request.pk
    return redirect("intake:sent")


@never_cache
@require_http_methods(["GET", "HEAD"])
def request_sent(request: HttpRequest) -> HttpResponse:
    pk = request.session.get(SENT_KEY)
    intake_request = (
        IntakeRequest.objects.select_related("association").filter(pk=pk, redacted_at__isnull=True).first()
        if isinstance(pk, int)
        else None
    )
    if intake_request is None:
        return redirect("intake:request")
    return render(
        request,
        "intake/request_sent.html",
        {
            "intake_request": intake_request,
            "deadline": timezone.localtime(intake_request.deadline_at).date(),
            "manage_url": request.build_absolute_uri(
                redirect("intake:manage", token=request_token(intake_request)).url
            ),
        },
    )


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "intake/link_unusable.html", {"reason": reason}, status=400 if reason == "invalid" else 410)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_manage(request: HttpRequest, token: str) -> HttpResponse:
    """See the request, download its data or withdraw it (a GET never acts: mail scanners open links)."""
    intake_request, reason = request_from_token(token)
    if intake_request is None:
        return _unusable(request, reason)
    if intake_request.redacted_at is not None:
        return _unusable(request, "withdrawn")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "export":
            audit(AuditAction.EXPORTED, target=intake_request, association_id=intake_request.association_id)
            response = HttpResponse(
                export_json(services.request_export(intake_request)), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="cerchio-la-mia-richiesta.json"'
            return response
        if action == "withdraw":
            try:
                services.request_withdraw(request=intake_request)
            except ValidationError:
                return _unusable(request, "withdrawn")
            audit(AuditAction.DELETED, target=intake_request, association_id=intake_request.association_id)
            request.session.pop(SENT_KEY, None)
            return render(request, "intake/withdrawn.html", {"reference": intake_request.reference})
    return render(
        request,
        "intake/request_manage.html",
        {"intake_request": intake_request, "deadline": timezone.localtime(intake_request.deadline_at).date()},
    )
