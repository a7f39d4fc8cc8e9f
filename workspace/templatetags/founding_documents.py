"""`{% founding_documents group as kit %}`: the printable documents of a group that the person
may download (`kit.documents`), each with its link or with what is missing before it can be
made, and the language they are written in (`kit.language`)."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language_info

from founding.pdf import DOCUMENTS, document_language, document_problems
from network.access import access_for
from network.models import Group
from workspace.views.founding_documents import DOCUMENT_CAPABILITY

register = template.Library()


@register.simple_tag(takes_context=True)
def founding_documents(context, group: Group) -> dict:
    request = context.get("request")
    access = access_for(request) if request is not None else None
    documents = []
    for kind, document in DOCUMENTS.items():
        if access is None or not access.can(DOCUMENT_CAPABILITY[kind], group):
            continue
        documents.append(
            {
                "kind": str(kind),
                "title": document.title,
                "url": reverse(f"workspace:founding_{kind}_pdf", kwargs={"slug": group.slug}),
                "problems": document_problems(group=group, kind=kind),
            }
        )
    return {"documents": documents, "language": get_language_info(document_language(group))["name_translated"]}
