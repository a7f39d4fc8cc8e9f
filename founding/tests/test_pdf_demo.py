"""Every document of the demo's groups being started renders from `make demo` data.

The demo gets its groups being started from founding/demo.py (a group by open invitation,
"starting soon"); one more, built here on the demo's association the same way, makes sure
the test always has a group by open invitation to render.
"""

from django.utils.module_loading import autodiscover_modules

from founding.pdf import DocumentKind, document_language, document_problems, render_document
from founding.tests.pdf_world import pdf_text, starting_group
from network.demo import run_demo_steps, seed_demo
from network.models import Group, GroupStatus, StartMode

STARTING = [GroupStatus.PLANNED, GroupStatus.PROMOTING, GroupStatus.FIRST_MEETING_HELD]
# What an open invitation must have ready: its poster, flyer, pact and guide.
OPEN_INVITATION_KIT = {DocumentKind.POSTER, DocumentKind.FLYER, DocumentKind.PACT, DocumentKind.GUIDE}


def test_every_document_of_the_demos_groups_being_started_renders(db):
    autodiscover_modules("demo")
    result = seed_demo()
    run_demo_steps(result)
    starting_group(association=result["association"], group_name="Demo: un gruppo per invito aperto")

    groups = list(
        Group.objects.filter(status__in=STARTING, founding_path__isnull=False)
        .select_related("association", "founding_path")
        .order_by("pk")
    )
    assert any(group.founding_path.start_mode == StartMode.OPEN_INVITATION for group in groups)
    rendered = 0
    for group in groups:
        open_invitation = group.founding_path.start_mode == StartMode.OPEN_INVITATION
        language = document_language(group)
        for kind in DocumentKind:
            problems = document_problems(group=group, kind=kind)
            if open_invitation and group.status == GroupStatus.PROMOTING:
                assert kind not in OPEN_INVITATION_KIT or not problems, (group.name, kind, problems)
            if problems:
                continue
            text = pdf_text(render_document(group=group, kind=kind, language=language))
            assert group.association.name in text
            assert " ".join(group.name.split()) in text
            rendered += 1
    assert rendered >= len(DocumentKind)
