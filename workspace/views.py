from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workspace.decorators import workspace_view


@workspace_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/home.html", {})
