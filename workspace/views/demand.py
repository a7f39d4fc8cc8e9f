"""Unmet demand and the association's intake figures, for coordinators.

- The demand board (`network.view_figures`): waiting demand by theme × area, the areas that
  reached the association's threshold first. A coordination sees its members' boards.
- Starting a group on request and the intake settings (`association.manage_groups`): the
  association's own coordinators only, never a coordination.
- The figures (`network.view_figures`): charts drawn by the server, a table next to each,
  and the same tables as CSV. Counts below 3 are suppressed everywhere.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from founding.services import founding_start_on_request
from intake import demand
from intake.figures import CHART_THEMES, association_figures, month_table, theme_table, years_with_requests
from intake.models import DemandRecord, IntakeSettings, Relationship, call_time_labels
from lib.charts import Series, bar_chart
from lib.figures import MINIMUM_CELL, csv_response, suppressed_label
from network.access import Cap, access_for
from workspace.decorators import workspace_view
from workspace.forms import SeenVersionMixin, add_refusal
from workspace.scoping import refuse
from workspace.views.association import _chosen_association, _several

VIEW = Cap.NETWORK_VIEW_FIGURES
MANAGE = Cap.ASSOCIATION_MANAGE_GROUPS


def demand_record_for(request: HttpRequest, pk: int, cap: Cap) -> DemandRecord:
    """A demand record of an association the person holds `cap` over, or 404."""
    record = (
        DemandRecord.objects.filter(pk=pk, association__in=access_for(request).associations(cap))
        .select_related("association", "theme")
        .first()
    )
    if record is None:
        refuse(request, DemandRecord.objects.filter(pk=pk))
    return record


# --- The board ------------------------------------------------------------------


@workspace_view(VIEW)
def demand_board(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, VIEW)
    settings_ = demand.intake_settings_for(association)
    rows = []
    for row in demand.demand_board(association):
        shown = [area for area in row.areas if area.count >= MINIMUM_CELL and row.theme is not None]
        rows.append(
            {
                "theme": row.theme,
                "reached": row.reached,
                # Areas of one or two requests are neither counted nor named: a town and a theme could point at someone.
                "areas": [{"area": area, "count": suppressed_label(area.count), "towns": area.towns} for area in shown],
                "small": len(shown) < len(row.areas),
                "count": suppressed_label(row.count) if row.theme is None else None,
            }
        )
    return render(
        request,
        "workspace/demand.html",
        {
            "association": association,
            "associations": _several(request, VIEW),
            "settings": settings_,
            "rows": rows,
            "can_start": access_for(request).can(MANAGE, association),
        },
    )


class StartGroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nome del nuovo gruppo"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Descrizione pubblica"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Si può scrivere anche dopo. Non indicare mai nomi o recapiti personali."),
    )


def _audience_summary(records: list[DemandRecord]) -> list[dict]:
    counts = {value: 0 for value, _label in Relationship.choices}
    for record in records:
        counts[record.audience] = counts.get(record.audience, 0) + 1
    return [{"label": label, "count": suppressed_label(counts[value])} for value, label in Relationship.choices]


@workspace_view(MANAGE, methods=("GET", "POST"))
def demand_start(request: HttpRequest, pk: int) -> HttpResponse:
    record = demand_record_for(request, pk, MANAGE)
    association = record.association
    if record.group_id is not None:
        messages.info(request, _("Per queste richieste è già nato un gruppo."))
        return redirect("workspace:group", slug=record.group.slug)
    area = demand.area_around(association, record)
    if area is None:
        messages.info(request, _("Queste richieste non sono più in attesa: ecco la situazione aggiornata."))
        return redirect(f"{_board_url()}?association={association.pk}")
    theme = record.theme
    form = StartGroupForm(
        request.POST if request.method == "POST" else None,
        initial={"name": f"{theme} – {area.label}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The group, its link to the waiting demand and its founding path, in one step.
            group = founding_start_on_request(
                association=association,
                theme=theme,
                records=area.records,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request.user,
            ).group
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _(
                    "Gruppo «%(name)s» avviato su richiesta. Scegli dove e quando si incontra: "
                    "appena c'è la data del primo incontro, chi aspettava riceve un messaggio."
                )
                % {"name": group.name},
            )
            return redirect("workspace:founding_path", slug=group.slug)
    availability = sorted({label for member in area.records for label in call_time_labels(member.availability)})
    return render(
        request,
        "workspace/demand_start.html",
        {
            "association": association,
            "theme": theme,
            "area": area,
            "count": suppressed_label(area.count),
            "towns": area.towns,
            "audiences": _audience_summary(area.records),
            "availability": availability,
            "settings": demand.intake_settings_for(association),
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _board_url() -> str:
    return reverse("workspace:demand")


class IntakeSettingsForm(SeenVersionMixin, forms.ModelForm):
    class Meta:
        model = IntakeSettings
        fields = list(demand.SETTINGS_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = {
            "response_working_days": (1, 30),
            "demand_threshold": (demand.MINIMUM_THRESHOLD, 100),
            "demand_radius_km": (1, 300),
            "demand_window_months": (1, 36),
        }
        for name, (low, high) in limits.items():
            self.fields[name].min_value = low
            self.fields[name].max_value = high
            self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]
            self.fields[name].widget.attrs.update({"min": low, "max": high, "inputmode": "numeric"})


@workspace_view(MANAGE, methods=("GET", "POST"))
def intake_settings(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, MANAGE)
    current = demand.intake_settings_for(association)
    form = IntakeSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in demand.SETTINGS_FIELDS}
        try:
            demand.intake_settings_update(
                association=association, by=request.user, expected_updated_at=form.expected_updated_at, **values
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Impostazioni dell'accoglienza salvate."))
            return redirect(f"{_board_url()}?association={association.pk}")
    return render(
        request,
        "workspace/demand_settings.html",
        {"association": association, "associations": _several(request, MANAGE), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Figures --------------------------------------------------------------------


def _natural_size(svg: str) -> str:
    """The chart at its own size (width and height from its viewBox): on a phone it scrolls in its box.

    Shrunk to a phone's width, a year of months would have 5-pixel labels.
    """
    found = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
    if found is None:
        return svg
    width, height = found.groups()
    return mark_safe(svg.replace("<svg ", f'<svg width="{width}" height="{height}" ', 1))  # noqa: S308  from bar_chart


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= timezone.localdate().year:
        return int(raw)
    return None


@workspace_view(VIEW)
def intake_figures(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, VIEW)
    year = _year(request)
    figures = association_figures(association, year=year)
    categories = [row.label for row in figures.months]
    outcome_chart = bar_chart(
        title=_("Richieste per mese e per esito"),
        description=_("Le richieste ricevute ogni mese, divise per come sono andate. «<3»: meno di 3."),
        categories=categories,
        series=[
            Series(label, [row.outcomes[index].shown for row in figures.months])
            for index, label in enumerate(figures.outcome_labels)
        ],
        stacked=True,
    )
    top_themes = figures.themes[:CHART_THEMES]
    theme_chart = (
        bar_chart(
            title=_("Richieste per tema"),
            description=_("I temi più richiesti nel periodo. «<3»: meno di 3."),
            categories=[row.label[:14] for row in top_themes],
            series=[Series(_("Richieste"), [row.count.shown for row in top_themes])],
        )
        if top_themes
        else None
    )
    contact_chart = bar_chart(
        title=_("Primo contatto in tempo e in ritardo"),
        description=_("Per mese: le richieste contattate entro il termine e quelle contattate dopo."),
        categories=categories,
        series=[
            Series(_("in tempo"), [row.on_time.shown for row in figures.months]),
            Series(_("in ritardo"), [row.late.shown for row in figures.months]),
        ],
        stacked=True,
    )
    median_chart = bar_chart(
        title=_("Tempo mediano al primo contatto (ore)"),
        description=_("Per mese; il mese senza almeno 3 primi contatti non è mostrato."),
        categories=categories,
        series=[Series(_("ore"), [row.median_hours or 0 for row in figures.months])],
    )
    query = f"association={association.pk}" + (f"&year={year}" if year else "")
    return render(
        request,
        "workspace/intake_figures.html",
        {
            "association": association,
            "associations": _several(request, VIEW),
            "figures": figures,
            "year": year,
            "years": years_with_requests(association),
            "outcome_chart": _natural_size(outcome_chart),
            "theme_chart": _natural_size(theme_chart) if theme_chart else None,
            "contact_chart": _natural_size(contact_chart),
            "median_chart": _natural_size(median_chart),
            "query": query,
        },
    )


@workspace_view(VIEW)
def intake_figures_csv(request: HttpRequest) -> HttpResponse:
    association = _chosen_association(request, VIEW)
    year = _year(request)
    figures = association_figures(association, year=year)
    table = "themes" if request.GET.get("table") == "themes" else "months"
    header, rows = theme_table(figures) if table == "themes" else month_table(figures)
    period = str(year) if year else f"{figures.first_month:%Y-%m}_{figures.last_month:%Y-%m}"
    return csv_response(filename=f"accoglienza-{association.slug}-{table}-{period}.csv", header=header, rows=rows)
