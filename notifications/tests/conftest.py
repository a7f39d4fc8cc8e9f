from pathlib import Path

import pytest

from notifications.kinds import KINDS, register_kind

HERE = Path(__file__).resolve().parent


@pytest.fixture
def test_templates(settings):
    """Templates under notifications/tests/templates, for kinds that exist only in tests."""
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0] = {**engines[0], "DIRS": [*engines[0]["DIRS"], HERE / "templates"]}
    settings.TEMPLATES = engines


@pytest.fixture
def greeting_kind(test_templates):
    """A throwaway kind whose wanted-ness and fresh context the test controls."""
    state = {"wanted": True}
    register_kind(
        "test_greeting",
        template="test_greeting",
        still_wanted=lambda message: state["wanted"],
        build_context=lambda message: {"fresh": f"fresh-{message.context['thing_id']}"},
    )
    yield state
    KINDS.pop("test_greeting")
