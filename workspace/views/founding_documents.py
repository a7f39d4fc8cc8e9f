"""Downloading a group's printable documents: the pact, the first-meeting guide, the poster,
the flyer and the letter for services (founding/pdf.py makes them).

Who may download what:
- the pact and the first-meeting guide: whoever sees the group in the workspace
  (`group.view`: its facilitators, the association's staff, a coordination), like the
  guide on the phone;
- the promotion kit (poster, flyer, letter for services) speaks for the association:
  its coordinators only (`association.manage_groups`).
Outside that scope the group does not exist (404). When the group lacks what the
document needs, a page says what is missing (409), never a 500.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from founding.pdf import (
    DOCUMENTS,
    DocumentKind,
    document_filename,
    document_language,
    document_problems,
    render_document,
)
from network.access import Cap
from workspace.decorators import workspace_view
from workspace.scoping import group_for

DOCUMENT_CAPABILITY: dict[DocumentKind, Cap] = {
    DocumentKind.PACT: Cap.GROUP_VIEW,
    DocumentKind.GUIDE: Cap.GROUP_VIEW,
    DocumentKind.POSTER: Cap.ASSOCIATION_MANAGE_GROUPS,
    DocumentKind.FLYER: Cap.ASSOCIATION_MANAGE_GROUPS,
    DocumentKind.LETTER: Cap.ASSOCIATION_MANAGE_GROUPS,
}


def _download_view(kind: DocumentKind):
    cap = DOCUMENT_CAPABILITY[kind]

    @workspace_view(cap)
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        group = group_for(request, slug, cap)
        problems = document_problems(group=group, kind=kind)
        if problems:
            return render(
                request,
                "workspace/founding_document_missing.html",
                {"group": group, "title": DOCUMENTS[kind].title, "problems": problems},
                status=409,
            )
        language = document_language(group)
        pdf = render_document(group=group, kind=kind, language=language)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = document_filename(group=group, kind=kind, language=language)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-cache"
        return response

    view.__name__ = view.__qualname__ = f"{kind}_pdf"
    return view


pact_pdf = _download_view(DocumentKind.PACT)
guide_pdf = _download_view(DocumentKind.GUIDE)
poster_pdf = _download_view(DocumentKind.POSTER)
flyer_pdf = _download_view(DocumentKind.FLYER)
letter_pdf = _download_view(DocumentKind.LETTER)
