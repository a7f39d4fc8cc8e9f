"""Themes: how people also call them (spelling variants and synonyms), so the directory finds their groups.

Themes are shared by the whole directory; coordinators keep their variants up to date.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from network import services
from network.access import Cap
from network.models import Theme
from workspace.decorators import workspace_view
from workspace.forms import ThemeSynonymsForm, add_refusal


@workspace_view(Cap.THEMES_EDIT)
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/theme_list.html", {"themes": Theme.objects.order_by("name_it")})


@workspace_view(Cap.THEMES_EDIT, methods=("GET", "POST"))
def theme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    form = ThemeSynonymsForm(request.POST or None, initial={"synonyms": theme.synonyms})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_set_synonyms(theme=theme, synonyms=form.cleaned_data["synonyms"], by=request.user)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("Varianti di «%(theme)s» salvate: la ricerca trova già i gruppi con queste parole.")
                % {"theme": theme.name},
            )
            return redirect("workspace:themes")
    return render(request, "workspace/theme_edit.html", {"theme": theme, "form": form})
