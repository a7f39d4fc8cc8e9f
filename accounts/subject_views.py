"""My data without an account: a person known only by e-mail asks for a link to export or erase it.

The page always answers the same, whether or not Cerchio holds anything about the
address, so it cannot be used to learn who asked the association for help. The
link arrives only at that address and needs one more tap on a button: mail scanners
open links, and a GET must never erase anything.
"""

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from notifications.services import message_enqueue
from privacy import subjects
from privacy.services import export_json


class SubjectRequestForm(forms.Form):
    email = forms.EmailField(label=_("Il tuo indirizzo e-mail"), max_length=254)
    action = forms.ChoiceField(
        label=_("Cosa vuoi fare"),
        choices=[("export", _("ricevere una copia dei miei dati")), ("erase", _("cancellare i miei dati"))],
        widget=forms.RadioSelect,
        initial="export",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subject_request(request: HttpRequest) -> HttpResponse:
    form = SubjectRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        index = subjects.subject_index(form.cleaned_data["email"])
        action = form.cleaned_data["action"]
        has_data = subjects.subject_has_data(index=index)
        with transaction.atomic():
            # The same work whether or not Cerchio holds anything, so the answer's timing
            # says nothing: the message is written, and undone when there is no data.
            savepoint = transaction.savepoint()
            hour = timezone.now().strftime("%Y%m%d%H")  # one link per address, action and hour
            message_enqueue(
                kind="privacy_link",
                key=f"privacy:{index}:{action}:{hour}",
                to=form.cleaned_data["email"],
                language=(get_language() or "it")[:2],
                context={"index": index, "action": action},
            )
            if has_data:
                transaction.savepoint_commit(savepoint)
            else:
                transaction.savepoint_rollback(savepoint)
        return render(request, "accounts/subject_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/subject_request.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def subject_act(request: HttpRequest, action: str, token: str) -> HttpResponse:
    index = subjects.subject_from_token(token, action=action) if action in subjects.ACTIONS else None
    if index is None:
        return render(request, "accounts/subject_invalid.html", status=400)
    if request.method == "POST":
        if action == "export":
            response = HttpResponse(
                export_json(subjects.subject_export(index=index)), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="cerchio-i-miei-dati.json"'
            return response
        subjects.subject_erase(index=index)
        return render(request, "accounts/subject_erased.html")
    return render(request, "accounts/subject_confirm.html", {"action": action})
