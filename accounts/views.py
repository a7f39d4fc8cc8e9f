from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import EraseAccountForm, ProfileForm
from accounts.models import Profile
from privacy.audit import audit
from privacy.models import AuditAction
from privacy.readable import readable_export
from privacy.services import export_json, user_erase, user_export


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(AuditAction.CHANGED, actor=request.user, subject=request.user, target=profile)
        messages.success(request, _("Dati salvati."))
        return redirect("accounts:home")
    return render(
        request,
        "accounts/home.html",
        {"form": form, "mfa_required": request.access.requires_mfa, "memberships": _memberships(request.user)},
    )


def _memberships(user) -> list[str]:
    # Role rows belong to the network app; read through the reverse relations, without importing it.
    rows = [
        f"{m.get_role_display()} – {m.association}" for m in user.association_memberships.select_related("association")
    ]
    rows += [f"{m.get_role_display()} – {m.group}" for m in user.group_memberships.select_related("group")]
    return rows


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html", {"erase_form": EraseAccountForm()})


@login_required
@reauthentication_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    body = export_json(user_export(user=request.user, by=request.user))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cerchio-i-miei-dati.json"'
    return response


@login_required
@reauthentication_required
def my_data_export_readable(request: HttpRequest) -> HttpResponse:
    """The same export as a page people can read (and print), with names instead of table names."""
    data = user_export(user=request.user, by=request.user)
    return render(
        request,
        "accounts/my_data_readable.html",
        {"sections": readable_export(data), "exported_at": data["exported_at"]},
    )


def _role_contacts(user) -> list:
    """The associations where the person holds a role, to ask them about closing the account."""
    associations = {m.association for m in user.association_memberships.select_related("association")}
    associations |= {m.group.association for m in user.group_memberships.select_related("group__association")}
    return sorted(associations, key=lambda association: association.name)


@login_required
@reauthentication_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_data_erase(request: HttpRequest) -> HttpResponse:
    if request.access.is_staff:
        # Staff accounts carry the history of who looked at whose data: the site
        # administrator closes them, after the association hands the role over.
        return render(
            request,
            "accounts/erase_role.html",
            {"associations": _role_contacts(request.user), "roles": _memberships(request.user)},
        )
    form = EraseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_erase(user=user)
        messages.success(request, _("Il tuo account e i tuoi dati sono stati cancellati."))
        return redirect("directory:home")
    return render(request, "accounts/erase.html", {"form": form})
