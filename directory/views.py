from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory.calendar import group_calendar
from directory.search import DEFAULT_RADIUS_KM, GroupSearchForm, attach_next_meetings, search_groups
from directory.structured import group_json_ld
from lib.text import fold
from network.models import Association, Group, Theme, urgent_numbers_parse
from privacy.notice import privacy_notice

RADIUS_CHOICES = [5, 10, 25, 50, 100]


def _search_context(form: GroupSearchForm) -> dict:
    radius = getattr(form, "cleaned_data", {}).get("radius_km")
    selected_radius = round(radius) if radius else DEFAULT_RADIUS_KM
    return {
        "form": form,
        "all_themes": sorted(Theme.objects.all(), key=lambda theme: fold(theme.name)),
        "radius_choices": sorted(set(RADIUS_CHOICES) | {selected_radius}),
        "selected_radius": selected_radius,
    }


def public_group_or_404(slug: str) -> Group:
    return get_object_or_404(
        Group.objects.public().select_related("venue", "association").prefetch_related("themes", "schedules"),
        slug=slug,
    )


def join_url(group: Group) -> str:
    """Where "Vuoi partecipare?" leads: the one place to change it (to the intake request form)."""
    return reverse("directory:group", kwargs={"slug": group.slug}) + "#partecipare"


def public_associations():
    """Associations that have groups in the public directory."""
    return Association.objects.filter(groups__in=Group.objects.public()).distinct().order_by("name")


def network_urgent_help() -> list:
    """The urgent-help numbers of every association in the directory, 112 first, each number once."""
    lines = "\n".join(public_associations().values_list("urgent_numbers", flat=True))
    return urgent_numbers_parse(lines)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.filter(groups__in=Group.objects.public()).distinct()
    themes = sorted(themes, key=lambda theme: fold(theme.name))
    return render(
        request,
        "directory/home.html",
        {**_search_context(GroupSearchForm()), "themes": themes, "urgent_help": network_urgent_help()},
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
    results = search_groups(form.cleaned_data) if form.is_valid() else None
    advanced = ["radius_km", "weekday", "part_of_day", "format", "audience", "q", "open"]
    filters_used = any(request.GET.get(name) for name in advanced) or any(name in form.errors for name in advanced)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/group_list.html",
        {**_search_context(form), "results": results, "query": query.urlencode(), "filters_used": filters_used},
    )


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
