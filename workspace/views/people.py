"""People with a role in the association: who they are (by nickname), invitations, undelivered messages.

Addresses of other people are never shown: only the person who just typed one sees
it back once, in the confirmation.
"""

import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from network import services
from network.access import Cap, access_for
from network.models import AssociationMembership, AssociationRole, GroupMembership, GroupRole, Invitation
from notifications.models import OutboxMessage
from notifications.services import failed_messages
from notifications.services import message_retry as retry
from privacy.audit import audit
from privacy.models import AuditAction
from privacy.sealing import pseudo_for
from workspace.decorators import workspace_view
from workspace.forms import InvitationAcceptForm, InviteForm, add_refusal
from workspace.scoping import association_for, invitation_for, refuse

CAP = Cap.ASSOCIATION_INVITE_STAFF
INVITATIONS_SHOWN = 50
# One-time tokens of the invite form kept in the session (a few open tabs at most).
ONCE_KEY = "workspace_invite_once"
ONCE_KEPT = 10
# Roles a coordinator may take away here; another coordinator's role goes through the site administrator.
ENDABLE_ROLES = {GroupRole.FACILITATOR, AssociationRole.INTAKE, AssociationRole.REFERRER}
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _association(request: HttpRequest):
    raw = request.POST.get("association") or request.GET.get("association") or ""
    return association_for(request, CAP, int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 16 else None)


def display_name(user) -> str:
    """A person as others see them: their nickname, or a number. Never their address."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.nickname:
        return profile.nickname
    return _("persona n. %(id)s") % {"id": user.pk}


def failed_messages_for(association_ids) -> list:
    """Undelivered outbox messages of these associations, for the coordinator to retry."""
    return list(failed_messages(association_ids=list(association_ids))[:50])


# --- The people page ------------------------------------------------------------


@workspace_view(CAP)
def people(request: HttpRequest) -> HttpResponse:
    association = _association(request)
    staff = []
    for membership in (
        AssociationMembership.objects.filter(association=association)
        .select_related("user__profile")
        .order_by("role", "created_at")
    ):
        staff.append(
            {
                "name": display_name(membership.user),
                "role": membership.get_role_display(),
                "scope": association.name,
                "kind": "association",
                "pk": membership.pk,
                "endable": membership.role in ENDABLE_ROLES,
                "is_me": membership.user_id == request.user.pk,
            }
        )
    for membership in (
        GroupMembership.objects.filter(group__association=association, role=GroupRole.FACILITATOR)
        .select_related("user__profile", "group")
        .order_by("group__name", "created_at")
    ):
        staff.append(
            {
                "name": display_name(membership.user),
                "role": membership.get_role_display(),
                "scope": membership.group.name,
                "kind": "group",
                "pk": membership.pk,
                "endable": True,
                "is_me": membership.user_id == request.user.pk,
            }
        )
    invitations = list(Invitation.objects.filter(association=association).select_related("group")[:INVITATIONS_SHOWN])
    # Who holds which role is personal data (a facilitator's group tells their theme): logged.
    audit(AuditAction.VIEWED, actor=request.user, target=association, association_id=association.pk)
    associations = list(access_for(request).associations(CAP).order_by("name")[:50])
    return render(
        request,
        "workspace/people.html",
        {
            "association": association,
            "associations": associations if len(associations) > 1 else [],
            "staff": staff,
            "invitations": invitations,
            "failed": failed_messages_for([association.pk]),
        },
    )


def _membership_for(request: HttpRequest, kind: str, pk: int):
    """A role in one of the person's associations (or one of its groups), or 404."""
    association_ids = access_for(request).association_ids(CAP)
    if access_for(request).is_superuser:
        association_ids = None
    if kind == "group":
        rows = GroupMembership.objects.filter(pk=pk, role=GroupRole.FACILITATOR)
        rows = rows.select_related("group", "user__profile")
        if association_ids is not None:
            rows = rows.filter(group__association_id__in=association_ids)
    elif kind == "association":
        rows = AssociationMembership.objects.filter(pk=pk).select_related("association", "user__profile")
        if association_ids is not None:
            rows = rows.filter(association_id__in=association_ids)
    else:
        raise Http404
    membership = rows.first()
    if membership is None:
        model = GroupMembership if kind == "group" else AssociationMembership
        refuse(request, model.objects.filter(pk=pk))
    return membership


@workspace_view(CAP, methods=("GET", "POST"))
def role_end(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    membership = _membership_for(request, kind, pk)
    scope = membership.group.name if kind == "group" else membership.association.name
    if membership.role not in ENDABLE_ROLES:
        messages.error(request, _("Il ruolo di un coordinatore si toglie chiedendo all'amministratore del sito."))
        return redirect("workspace:people")
    name = display_name(membership.user)
    association_id = membership.group.association_id if kind == "group" else membership.association_id
    if request.method == "GET":
        audit(
            AuditAction.VIEWED,
            actor=request.user,
            subject=membership.user,
            target=membership,
            association_id=association_id,
        )
    if request.method == "POST":
        services.membership_end(membership=membership, by=request.user)
        messages.success(
            request,
            _("%(name)s non è più %(role)s (%(scope)s).")
            % {"name": name, "role": membership.get_role_display(), "scope": scope},
        )
        return redirect("workspace:people")
    return render(
        request,
        "workspace/role_end.html",
        {"membership": membership, "name": name, "scope": scope},
    )


# --- Inviting -----------------------------------------------------------------


def _new_once(request: HttpRequest) -> str:
    token = secrets.token_urlsafe(16)
    kept = request.session.get(ONCE_KEY, [])[-(ONCE_KEPT - 1) :]
    request.session[ONCE_KEY] = [*kept, token]
    return token


def _already_invited(association, *, email: str, role: str, group) -> bool:
    """An open invitation for the same address, role and scope? (Addresses are encrypted: compare here.)"""
    email = email.strip().lower()
    open_ones = Invitation.objects.open().filter(association=association, role=role, group=group)
    return any(invitation.email == email for invitation in open_ones)


@workspace_view(CAP, methods=("GET", "POST"))
def invite(request: HttpRequest) -> HttpResponse:
    association = _association(request)
    if request.method == "POST":
        form = InviteForm(request.POST, association=association)
        once = request.POST.get("once", "")
        if once not in request.session.get(ONCE_KEY, []):
            # The same form sent a second time (a double tap, the back button): nothing is sent again.
            messages.info(request, _("Questo invito è già stato mandato: lo trovi qui sotto."))
            return redirect("workspace:people")
        if form.is_valid():
            data = form.cleaned_data
            if _already_invited(association, email=data["email"], role=data["role"], group=data["group"]):
                form.add_error(
                    None, _("C'è già un invito aperto per questo indirizzo e questo ruolo: non ne serve un altro.")
                )
            else:
                try:
                    services.invitation_send(
                        association=association,
                        role=data["role"],
                        email=data["email"],
                        group=data["group"],
                        by=request.user,
                        language=data["language"],
                    )
                except ValidationError as error:
                    add_refusal(form, error)
                else:
                    request.session[ONCE_KEY] = [t for t in request.session.get(ONCE_KEY, []) if t != once]
                    # Only the person who typed the address sees it again, here, once.
                    messages.success(request, _("Invito mandato a %(email)s.") % {"email": data["email"]})
                    return redirect("workspace:people")
    else:
        role = request.GET.get("role", "")
        form = InviteForm(
            association=association,
            initial={
                "once": _new_once(request),
                "language": get_language() or "it",
                "role": role if role in dict(InviteForm.base_fields["role"].choices) else GroupRole.FACILITATOR,
            },
        )
    return render(request, "workspace/invite.html", {"form": form, "association": association})


@workspace_view(CAP, methods=("GET", "POST"))
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_for(request, pk, CAP)
    if invitation.state != "open":
        messages.info(request, _("Questo invito non è più aperto."))
        return redirect("workspace:people")
    if request.method == "POST":
        try:
            services.invitation_withdraw(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Invito ritirato: il link non funziona più."))
        return redirect("workspace:people")
    return render(request, "workspace/invitation_withdraw.html", {"invitation": invitation})


@workspace_view(CAP, methods=("POST",))
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request)
    messages_in_scope = OutboxMessage.objects.all()
    if not access.is_superuser:
        messages_in_scope = messages_in_scope.filter(association_id__in=access.association_ids(CAP))
    message = messages_in_scope.filter(pk=pk).first()
    if message is None:
        refuse(request, OutboxMessage.objects.filter(pk=pk))
    try:
        retry(message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Il messaggio riparte: ne riprovo la consegna tra poco."))
    return redirect(f"{reverse('workspace:people')}#messaggi")


# --- Accepting an invitation (no account needed yet) ----------------------------------


def _unusable(request: HttpRequest, invitation, reason: str) -> HttpResponse:
    # 410 Gone for every link that no longer works (unknown, used, withdrawn, expired): one rule, one page.
    return render(
        request,
        "workspace/invitation_unusable.html",
        {"reason": reason, "invitation": invitation},
        status=410,
    )


def _refusal(invitation) -> str | None:
    """Why a link no longer works, and what to do about it; None while it is open."""
    state = invitation.state if invitation is not None else "unknown"
    return {
        "unknown": _("Questo invito non esiste: controlla di aver copiato tutto il link dall'e-mail."),
        "accepted": _("Questo invito è già stato usato. Se è tuo, accedi con la tua e-mail e la tua password."),
        "withdrawn": _("Questo invito è stato ritirato. Se pensi sia un errore, scrivi all'associazione."),
        "expired": _("Questo invito è scaduto. Chiedi all'associazione di mandartene un altro: basta una e-mail."),
    }.get(state)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    reason = _refusal(invitation)
    if reason:
        return _unusable(request, invitation, reason)
    signed_in = request.user.is_authenticated
    if signed_in and request.user.email != pseudo_for(invitation.email):
        # The role goes to the person the association invited, not to whoever holds the link.
        return render(request, "workspace/join_other_account.html", {"invitation": invitation}, status=403)
    existing = not signed_in and get_user_model().objects.filter(email=pseudo_for(invitation.email)).exists()
    form = (
        None
        if signed_in or existing
        else InvitationAcceptForm(request.POST or None, initial={"language": get_language() or "it"})
    )
    if request.method == "POST":
        try:
            if signed_in:
                user = services.invitation_accept(token=token, user=request.user)
            elif form is not None and form.is_valid():
                data = form.cleaned_data
                user = services.invitation_accept(
                    token=token,
                    password=data["password1"],
                    nickname=data["nickname"].strip(),
                    language=data["language"],
                )
            else:
                user = None
        except ValidationError as error:
            return _unusable(request, invitation, " ".join(error.messages))
        if user is not None:
            if not signed_in:
                login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Benvenuto: ora sei %(role)s.") % {"role": invitation.role_label}
                if not invitation.group
                else _("Benvenuto: ora sei %(role)s di «%(group)s».")
                % {"role": invitation.role_label, "group": invitation.group.name},
            )
            return redirect("workspace:home")
    return render(
        request,
        "workspace/invitation_accept.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in, "existing": existing, "token": token},
    )
