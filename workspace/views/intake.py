"""The association's intake queue, a request's page, and a referrer's form and list.

Contact details are shown only on a request's own page, only to that association's
intake operators and coordinators, and every view is written to the audit log. The
queue lists references, states and deadlines, never names or contacts.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from intake import services
from intake.forms import ReferralForm, new_submission_token
from intake.models import CLOSE_FROM, TRANSITIONS, IntakeRequest, Outcome, RequestState, call_time_labels
from lib.text import fold
from network.access import Cap, access_for
from network.models import Association, Group, Meeting, Theme
from notifications.models import OutboxMessage, OutboxStatus
from notifications.services import message_retry
from privacy.audit import audit, audit_refused_page
from privacy.models import AuditAction
from workspace.decorators import workspace_view
from workspace.scoping import refuse

CAP = Cap.INTAKE_WORK
PER_PAGE = 30


def _worked_associations(request: HttpRequest) -> list[Association]:
    """Associations whose queue the person works: never another's, nor a site administrator's by default."""
    access = access_for(request)
    associations = list(Association.objects.filter(pk__in=access.association_ids(CAP)).order_by("name"))
    if not associations:
        audit_refused_page(request)
        raise PermissionDenied
    return associations


def _chosen(request: HttpRequest, associations: list[Association]) -> Association:
    raw = request.GET.get("association") or ""
    return next((item for item in associations if str(item.pk) == raw), associations[0])


def intake_request_for(request: HttpRequest, pk: int) -> IntakeRequest:
    """The request, if the person works its association's queue; 404 (logged) otherwise."""
    access = access_for(request)
    found = (
        IntakeRequest.objects.filter(pk=pk, association_id__in=access.association_ids(CAP))
        .select_related("association", "theme", "assigned_to", "proposed_group", "asked_group")
        .first()
    )
    if found is None:
        refuse(request, IntakeRequest.objects.filter(pk=pk))
    return found


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Stato"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Tema"), required=False)
    town = forms.CharField(label=gettext_lazy("Comune"), max_length=100, required=False)
    q = forms.CharField(label=gettext_lazy("Riferimento"), max_length=20, required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Solo quelle in ritardo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("tutte le aperte")),
            *RequestState.choices,
            *((f"outcome:{value}", _("chiusa: %(outcome)s") % {"outcome": label}) for value, label in Outcome.choices),
            ("any", _("tutte")),
        ]
        themes = sorted(Theme.objects.all(), key=lambda theme: fold(theme.name))
        self.fields["theme"].choices = [
            ("", _("tutti")),
            ("none", _("non sa")),
            *((theme.slug, theme.name) for theme in themes),
        ]


def _filtered(queryset, data: dict):
    state = data.get("state") or ""
    if state.startswith("outcome:"):
        queryset = queryset.filter(state=RequestState.CLOSED, outcome=state.split(":", 1)[1])
    elif state in RequestState.values:
        queryset = queryset.filter(state=state)
    elif state != "any":
        queryset = queryset.open()
    theme = data.get("theme") or ""
    if theme == "none":
        queryset = queryset.filter(theme__isnull=True)
    elif theme:
        queryset = queryset.filter(theme__slug=theme)
    if data.get("town"):
        queryset = queryset.filter(town__icontains=data["town"].strip())
    if data.get("q"):
        queryset = queryset.filter(reference__icontains=data["q"].strip())
    if data.get("overdue"):
        queryset = queryset.overdue()
    return queryset


def _failed_intake_messages(association_ids, request_pk: int | None = None):
    failed = OutboxMessage.objects.filter(
        status=OutboxStatus.FAILED, kind__in=services.KINDS, association_id__in=list(association_ids)
    )
    if request_pk is not None:
        failed = failed.filter(key__startswith=f"intake:{request_pk}:")
    return failed.order_by("-created_at")


@workspace_view(CAP)
def intake_queue(request: HttpRequest) -> HttpResponse:
    associations = _worked_associations(request)
    association = _chosen(request, associations)
    mine = request.GET.get("view") == "mine"
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = IntakeRequest.objects.filter(association=association).select_related("theme", "assigned_to")
    if mine:
        queryset = queryset.filter(assigned_to=request.user)
    queryset = _filtered(queryset, data).order_by("deadline_at" if not data.get("state") else "-created_at")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"request": item, "timing": item.timing(now)} for item in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    tab_query.pop("view", None)
    tab_query.pop("page", None)
    return render(
        request,
        "workspace/intake_queue.html",
        {
            "association": association,
            "associations": associations if len(associations) > 1 else [],
            "form": form,
            "rows": rows,
            "page": page,
            "mine": mine,
            "query": query.urlencode() + "&" if query else "",
            "tab_query": tab_query.urlencode(),
            "overdue_count": IntakeRequest.objects.filter(association=association).overdue(now).count(),
            "failed": list(_failed_intake_messages([association.pk])[:10]),
            "can_configure": access_for(request).can(Cap.ASSOCIATION_MANAGE_GROUPS, association),
        },
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(name, name) for name in ("assign", "take", "contact", "propose", "introduce", "wait", "close")]
    )
    operator = forms.IntegerField(required=False)
    group = forms.IntegerField(required=False)
    meeting = forms.IntegerField(required=False)
    outcome = forms.ChoiceField(choices=[("", "")] + Outcome.choices, required=False)


def _act(request: HttpRequest, intake_request: IntakeRequest, data: dict) -> str:
    """Run the chosen service; returns the message to show. Raises Refused with the service's reason."""
    action, by = data["action"], request.user
    association = intake_request.association
    if action == "take":
        services.request_assign(request=intake_request, operator=by, by=by)
        return _("La richiesta è assegnata a te.")
    if action == "assign":
        operator = services.workers_of(association).filter(pk=data.get("operator")).first()
        services.request_assign(request=intake_request, operator=operator, by=by)
        return _("Assegnazione aggiornata.")
    if action == "contact":
        services.request_contact(request=intake_request, by=by)
        return _("Primo contatto registrato.")
    if action == "propose":
        group = Group.objects.filter(pk=data.get("group"), association=association).first()
        if group is None:
            raise services.Refused(_("Scegli un gruppo da proporre."))
        services.request_propose(request=intake_request, group=group, by=by)
        return _("Gruppo proposto.")
    if action == "introduce":
        meeting = None
        if data.get("meeting"):
            meeting = Meeting.objects.filter(pk=data["meeting"], group__association=association).first()
            if meeting is None:
                raise services.Refused(_("Scegli uno dei prossimi incontri di questo gruppo."))
        services.request_introduce(request=intake_request, meeting=meeting, by=by)
        return _("Il facilitatore del gruppo sa che una persona nuova potrebbe venire.")
    if action == "wait":
        services.request_wait(request=intake_request, by=by)
        return _("La richiesta è in attesa di un gruppo: la domanda è stata registrata in forma anonima.")
    if not data.get("outcome"):
        raise services.Refused(_("Scegli l'esito."))
    services.request_close(request=intake_request, outcome=data["outcome"], by=by)
    return _("Richiesta chiusa.")


@workspace_view(CAP, methods=("GET", "POST"))
def intake_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _worked_associations(request)
    intake_request = intake_request_for(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        form = ActionForm(request.POST)
        if not form.is_valid():
            errors.append(_("Scegli un'azione."))
        else:
            try:
                text = _act(request, intake_request, form.cleaned_data)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(request, text)
                return redirect("workspace:intake_request", pk=intake_request.pk)
        intake_request = intake_request_for(request, pk)
    # Contact details are on this page: every look is logged.
    audit(AuditAction.VIEWED, actor=request.user, target=intake_request, association_id=intake_request.association_id)
    association = intake_request.association
    state = intake_request.state
    proposed = intake_request.proposed_group
    closable = [(value, label) for value, label in Outcome.choices if state in CLOSE_FROM[value]]
    context = {
        "intake_request": intake_request,
        "timing": intake_request.timing(),
        "call_times": call_time_labels(intake_request.call_times),
        "errors": errors,
        "can_contact": RequestState.CONTACTED in TRANSITIONS[state],
        "can_propose": RequestState.PROPOSED in TRANSITIONS[state],
        "can_introduce": RequestState.INTRODUCED in TRANSITIONS[state] and proposed is not None,
        "can_wait": RequestState.WAITING in TRANSITIONS[state],
        "closable": closable,
        "workers": list(services.workers_of(association).select_related("profile").order_by("pk")),
        "groups": list(
            Group.objects.filter(association=association, status__in=services.PUBLIC_STATUSES).order_by("name")
        ),
        "meetings": services.next_meetings(proposed) if proposed is not None else [],
        "introductions": list(intake_request.introductions.select_related("group", "meeting")),
        "failed": list(_failed_intake_messages([association.pk], intake_request.pk)),
        "retention_ends_at": intake_request.retention_ends_at,
    }
    return render(request, "workspace/intake_request.html", context, status=400 if errors else 200)


@workspace_view(CAP, methods=("POST",))
def intake_message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    associations = _worked_associations(request)
    message = _failed_intake_messages([item.pk for item in associations]).filter(pk=pk).first()
    if message is None:
        refuse(request, OutboxMessage.objects.filter(pk=pk))
    message_retry(message=message)
    messages.success(request, _("Il messaggio riparte: ne riprovo la consegna tra poco."))
    key = message.key.split(":")
    if len(key) > 1 and key[1].isdigit() and request.POST.get("next") == "request":
        return redirect("workspace:intake_request", pk=int(key[1]))
    return redirect(f"{reverse('workspace:intake_queue')}?association={message.association_id}")


# --- A referring professional ------------------------------------------------------


def _referable(request: HttpRequest) -> list[Association]:
    access = access_for(request)
    ids = access.association_ids(Cap.INTAKE_REFER) | access.association_ids(CAP)
    associations = list(Association.objects.filter(pk__in=ids).order_by("name"))
    if not associations:
        audit_refused_page(request)
        raise PermissionDenied
    return associations


@workspace_view(methods=("GET", "POST"))
def intake_refer(request: HttpRequest) -> HttpResponse:
    """File a request on a person's behalf, with their agreement (a referrer, or an operator taking a call)."""
    associations = _referable(request)
    if request.method == "POST":
        form = ReferralForm(request.POST, associations=associations)
        if form.is_valid():
            association = next(item for item in associations if item.pk == form.cleaned_data["association"])
            try:
                intake_request, _created = services.request_submit(
                    association=association,
                    by=request.user,
                    person_agreed=form.cleaned_data["person_agreed"],
                    language=(get_language() or "it")[:2],
                    **form.submit_kwargs(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Richiesta inviata all'associazione. Riferimento: %(reference)s.")
                    % {"reference": intake_request.reference},
                )
                return redirect("workspace:intake_referred")
        status = 400
    else:
        form = ReferralForm(initial={"token": new_submission_token()}, associations=associations)
        status = 200
    return render(request, "workspace/intake_refer.html", {"form": form}, status=status)


@workspace_view(Cap.INTAKE_REFER)
def intake_referred(request: HttpRequest) -> HttpResponse:
    """The requests this person filed: reference, date and where they stand. Nobody else's."""
    associations = access_for(request).association_ids(Cap.INTAKE_REFER)
    requests = (
        IntakeRequest.objects.filter(referred_by=request.user, association_id__in=associations)
        .select_related("association")
        .order_by("-created_at")[:100]
    )
    return render(request, "workspace/intake_referred.html", {"requests": requests})
