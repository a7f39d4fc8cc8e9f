from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.area import network_area
from directory.calendar import group_calendar
from directory.rows import ThemeRow
from directory.search import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    GroupSearchForm,
    SearchResults,
    attach_next_meetings,
    rank,
    search_groups,
)
from directory.structured import group_json_ld
from lib.text import fold
from network.models import Association, Audience, Format, Group, PartOfDay, Theme, urgent_help
from network.recurrence import WEEKDAY_CHOICES
from privacy.notice import privacy_notice

RADIUS_CHOICES = [5, 10, 25, 50, 100]
# The filters behind "Altri filtri": the box opens when one of them is in use. The distance
# is always sent (it is a select), so it counts only when it differs from the default.
ADVANCED = ["weekday", "part_of_day", "format", "audience", "q", "open"]
# Everything a search may carry, for the links that widen it.
SEARCH_PARAMETERS = ["theme", "place", "lat", "lon", "radius_km", *ADVANCED]


def _options(form: GroupSearchForm, name: str, choices) -> list[tuple[str, str, bool]]:
    """(value, label, chosen) for a filter's choices, as typed. The page draws the inputs itself
    (directory_tags.options and checkboxes): Django's widget templates, and even template
    loops over the choices, cost more than the whole search on a results page."""
    if form.is_bound:
        chosen = set(form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)])
    else:
        chosen = set()
    return [(str(value), label, str(value) in chosen) for value, label in choices]


def _search_context(form: GroupSearchForm) -> dict:
    radius = getattr(form, "cleaned_data", {}).get("radius_km")
    selected_radius = round(radius) if radius else DEFAULT_RADIUS_KM
    selected_theme = form["theme"].value()
    # Rows rather than instances: the form lists every theme on every results page.
    themes = sorted(
        (ThemeRow(*theme) for theme in Theme.objects.values_list("slug", "name_it", "name_en")),
        key=lambda theme: fold(theme.name),
    )
    return {
        "form": form,
        "theme_options": [(theme.slug, theme.name, theme.slug == selected_theme) for theme in themes],
        "radius_options": [
            (str(km), f"{km} km", km == selected_radius) for km in sorted(set(RADIUS_CHOICES) | {selected_radius})
        ],
        "weekday_options": _options(form, "weekday", WEEKDAY_CHOICES),
        "part_options": _options(form, "part_of_day", PartOfDay.choices),
        "format_options": _options(form, "format", Format.choices),
        "audience_options": _options(form, "audience", Audience.choices),
    }


def public_group_or_404(slug: str) -> Group:
    return get_object_or_404(
        Group.objects.public().select_related("venue", "association").prefetch_related("themes", "schedules"),
        slug=slug,
    )


def join_url(group: Group) -> str:
    """Where "Vuoi partecipare?" leads: the association's request form, with the group filled in."""
    return reverse("intake:request") + "?" + urlencode({"group": group.slug})


def public_associations():
    """Associations that have groups in the public directory."""
    return Association.objects.filter(groups__in=Group.objects.public()).distinct().order_by("name")


def network_urgent_help() -> list:
    """The urgent-help numbers of every association in the directory, 112 first, each number once."""
    rows = list(public_associations().values_list("urgent_numbers", "urgent_numbers_en"))
    return urgent_help("\n".join(italian for italian, _ in rows), "\n".join(english for _, english in rows))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.filter(groups__in=Group.objects.public()).distinct()
    themes = sorted(themes, key=lambda theme: fold(theme.name))
    return render(
        request,
        "directory/home.html",
        {
            **_search_context(GroupSearchForm()),
            "themes": themes,
            "area": network_area(),
            "urgent_help": network_urgent_help(),
        },
    )


def _advanced_in_use(request: HttpRequest, form: GroupSearchForm) -> bool:
    if any(name in form.errors for name in [*ADVANCED, "radius_km"]):
        return True
    if any(value for name in ADVANCED for value in request.GET.getlist(name)):
        return True
    radius = getattr(form, "cleaned_data", {}).get("radius_km")
    return bool(radius) and round(radius) != DEFAULT_RADIUS_KM


def _summary(data: dict, results: SearchResults) -> list[str]:
    """The active filters in a few words each, for the one-line summary above the results."""
    parts = []
    if data.get("theme"):
        parts.append(data["theme"].name)
    if results.origin is not None:
        parts.append(
            _("entro %(km)s km da %(place)s") % {"km": f"{results.radius_km:.0f}", "place": results.origin.name}
        )
    days = dict(WEEKDAY_CHOICES)
    if data.get("weekday"):
        parts.append(_either([days[day] for day in sorted(data["weekday"])]))
    if data.get("part_of_day"):
        labels = dict(PartOfDay.choices)
        order = list(PartOfDay.values)
        parts.append(_either([labels[part] for part in sorted(data["part_of_day"], key=order.index)]))
    if data.get("format"):
        parts.append(str(Format(data["format"]).label))
    if data.get("audience"):
        parts.append(str(Audience(data["audience"]).label))
    if data.get("q"):
        parts.append(f"«{data['q']}»")
    if data.get("open") is True:
        parts.append(_("solo chi accoglie ora"))
    elif data.get("open") is False:
        parts.append(_("solo chi ora non accoglie"))
    return parts or [_("tutti i gruppi")]


def _either(items: list) -> str:
    """ "martedì, giovedì o sabato"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s o %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _link(params: dict) -> str:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        if isinstance(value, list):
            query.setlist(name, [str(each) for each in value])
        elif value not in (None, ""):
            query[name] = str(value)
    return "?" + query.urlencode()


def _count(params: dict) -> int:
    form = GroupSearchForm(QueryDict(_link(params)[1:]))
    if not form.is_valid():
        return 0
    return rank({**form.cleaned_data, "page_size": 1}).total


def _ways_out(request: HttpRequest, data: dict) -> dict:
    """For a search that found nothing: the same search wider, online groups on the theme, the association.

    Each wider search is counted, so a link never leads to another empty page.
    """
    asked = {name: request.GET.getlist(name) for name in SEARCH_PARAMETERS if request.GET.getlist(name)}
    asked = {
        name: values if len(values) > 1 or name in ("weekday", "part_of_day") else values[0]
        for name, values in asked.items()
    }
    candidates = []
    has_place = bool(asked.get("place") or asked.get("lat"))
    if has_place and data.get("radius_km", DEFAULT_RADIUS_KM) != MAX_RADIUS_KM:
        wider = {**asked, "radius_km": MAX_RADIUS_KM}
        candidates.append((_("La stessa ricerca entro %(km)s km") % {"km": MAX_RADIUS_KM}, wider))
    essentials = {name: asked[name] for name in ("theme", "place", "lat", "lon") if name in asked}
    if set(asked) - set(essentials) - {"radius_km"}:
        candidates.append(
            (
                _("Senza giorni, orari, parole e altri filtri"),
                {**essentials, "radius_km": MAX_RADIUS_KM} if has_place else essentials,
            )
        )
    if has_place and "theme" in asked:
        candidates.append((_("Lo stesso tema in tutta la rete"), {"theme": asked["theme"]}))
    if has_place and "theme" not in asked:
        candidates.append((_("Tutti i gruppi della rete"), {}))
    wider = None
    for label, params in candidates:
        count = _count(params)
        if count:
            wider = {"label": label, "url": _link(params), "count": count}
            break
    online_params = {"format": Format.ONLINE, **({"theme": asked["theme"]} if "theme" in asked else {})}
    online_count = _count(online_params) if asked != online_params else 0
    online = {"url": _link(online_params), "count": online_count} if online_count else None
    return {"wider": wider, "online": online, "contact": _contact_association()}


def _contact_association() -> Association | None:
    """The association people write to when nothing fits: the one with most groups in the directory."""
    return (
        Association.objects.filter(groups__in=Group.objects.public())
        .annotate(public_groups=Count("groups"))
        .order_by("-public_groups", "name")
        .first()
    )


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/about.html", {"associations": public_associations()})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request, "directory/privacy.html", {"notice": privacy_notice(), "associations": public_associations()}
    )


@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupSearchForm(request.GET)
    # A card shows the next meeting and how often the group meets.
    results = search_groups(form.cleaned_data, next_meetings=1, rhythms=True) if form.is_valid() else None
    searched = any(request.GET.get(name) for name in SEARCH_PARAMETERS)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_search_context(form),
        "results": results,
        "query": query.urlencode(),
        "filters_used": _advanced_in_use(request, form),
        # After a search the form folds into a one-line summary, so the results come first.
        "collapsed": searched and results is not None,
        # Group links from one reverse() instead of one per card.
        "group_link_prefix": reverse("directory:group", kwargs={"slug": "-"}).removesuffix("-/"),
    }
    if results is not None:
        context["summary"] = _summary(form.cleaned_data, results)
        if results.total == 0:
            context["ways_out"] = _ways_out(request, form.cleaned_data)
            context["area"] = network_area()
    return render(request, "directory/group_list.html", context)


@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = public_group_or_404(slug)
    attach_next_meetings([group])
    page_url = request.build_absolute_uri(group.get_absolute_url())
    calendar_url = request.build_absolute_uri(group.get_calendar_url())
    # webcal:// makes phones offer to subscribe; desktop browsers ignore it, so the https address is offered too.
    calendar_webcal = "webcal://" + calendar_url.split("://", 1)[1]
    return render(
        request,
        "directory/group_detail.html",
        {
            "group": group,
            "join_url": join_url(group),
            "calendar_url": calendar_url,
            "calendar_webcal": calendar_webcal,
            "urgent_help": group.association.urgent_help,
            "json_ld": group_json_ld(group, page_url=page_url, meetings=group.next_meetings),
        },
    )


@require_safe
def group_calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    group = public_group_or_404(slug)
    body = group_calendar(group, page_url=request.build_absolute_uri(group.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{group.slug}.ics"'
    return response
