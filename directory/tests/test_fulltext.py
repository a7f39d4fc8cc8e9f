"""Text search through the database's full-text engine (SQLite FTS5, PostgreSQL with unaccent).

Run on both: `DATABASE_URL=postgres://… pytest directory/tests/test_fulltext.py`.
"""

from urllib.parse import urlencode

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.search import GroupSearchForm, search_groups
from network import fulltext, services
from network.fulltext import FTS_TABLE, query_words
from network.models import Group
from network.tests.factories import ThemeFactory, VenueFactory, make_group

pytestmark = pytest.mark.django_db


def found(q: str, **params) -> list[str]:
    form = GroupSearchForm({"q": q, **params})
    assert form.is_valid(), form.errors
    return sorted(group.slug for group in search_groups({**form.cleaned_data, "page_size": 100}).groups)


@pytest.fixture
def network(db):
    alcohol = ThemeFactory(slug="alcol", name_it="Alcol", name_en="Alcohol", synonyms="alcool, alcolismo")
    gambling = ThemeFactory(
        slug="gioco-azzardo", name_it="Gioco d'azzardo", name_en="Gambling", synonyms="azzardo, ludopatia"
    )
    work = ThemeFactory(slug="difficolta-lavorativa", name_it="Difficoltà lavorativa", name_en="Work-related distress")
    grief = ThemeFactory(slug="lutto", name_it="Lutto", name_en="Grief", synonyms="")
    rovereto = VenueFactory(comune="Rovereto", latitude=45.8904, longitude=11.04053)
    return {
        "alcol": make_group(slug="alcol-trento", name="Alcol – Trento", themes=[alcohol]),
        "azzardo": make_group(slug="azzardo-rovereto", name="Gioco – Rovereto", themes=[gambling], venue=rovereto),
        "lavoro": make_group(slug="lavoro-trento", name="Lavoro – Trento", themes=[work]),
        "lutto": make_group(
            slug="lutto-citta", name="Lutto – Città", themes=[grief], description="Per chi ha perso l'amore."
        ),
    }


def test_a_spelling_variant_of_the_theme_finds_its_groups(network):
    assert found("alcool") == ["alcol-trento"]
    assert found("ALCOOL") == ["alcol-trento"]
    assert found("ludopatia") == ["azzardo-rovereto"]


def test_words_match_by_their_beginning(network):
    assert found("alcolis") == ["alcol-trento"]
    assert found("lud") == ["azzardo-rovereto"]


def test_every_word_must_match(network):
    assert found("alcol trento") == ["alcol-trento"]
    assert found("alcol rovereto") == []


def test_accents_do_not_matter_either_way(network):
    assert found("difficolta") == ["lavoro-trento"]
    assert found("difficoltà") == ["lavoro-trento"]
    assert found("Città") == ["lutto-citta"]
    assert found("citta") == ["lutto-citta"]


@pytest.mark.parametrize("q", ["gioco d'azzardo", "gioco d’azzardo", "d'azzardo", "GIOCO D'AZZARDO"])
def test_apostrophes_straight_or_typographic(network, q):
    assert found(q) == ["azzardo-rovereto"]


def test_an_elided_article_is_not_a_word_to_match(network):
    assert query_words("l'amore") == ["amore"]
    assert found("l'amore") == ["lutto-citta"]
    assert query_words("a") == ["a"]  # a lone short word is still searched


def test_new_synonyms_find_the_groups_at_once_and_old_ones_stop(network, someone):
    grief = network["lutto"].themes.get()
    assert found("perdita") == []
    services.theme_set_synonyms(theme=grief, synonyms="perdita,  vedovanza\nperdita", by=someone)
    grief.refresh_from_db()
    assert grief.synonyms == "perdita, vedovanza"
    assert found("perdita") == ["lutto-citta"]
    assert found("vedovanza") == ["lutto-citta"]
    services.theme_set_synonyms(theme=grief, synonyms="vedovanza", by=someone)
    assert found("perdita") == []


def test_renaming_a_theme_keeps_the_index_right(network, someone):
    theme = network["lavoro"].themes.get()
    services.theme_rename(theme=theme, name_it="Disagio lavorativo", name_en="Work distress", by=someone)
    assert found("disagio") == ["lavoro-trento"]
    assert found("difficolta") == []


def test_editing_a_group_keeps_the_index_right(network, someone):
    group = network["alcol"]
    services.group_update(group=group, by=someone, description="Ci troviamo in biblioteca.")
    assert found("biblioteca") == ["alcol-trento"]


def test_too_many_synonyms_are_refused(network, someone):
    theme = network["lutto"].themes.get()
    with pytest.raises(services.Refused):
        services.theme_set_synonyms(theme=theme, synonyms=", ".join(f"parola{n}" for n in range(50)), by=someone)


def test_the_engine_index_is_kept_and_used(network):
    """SQLite: the FTS5 table holds exactly each group's search text. PostgreSQL: the GIN index serves the query."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, search_text FROM {FTS_TABLE}")  # noqa: S608
            indexed = dict(cursor.fetchall())
        for group in network.values():
            group.refresh_from_db()
            assert indexed[group.pk] == group.search_text
    else:
        assert connection.vendor == "postgresql"
        sql, params = fulltext.matching(Group.objects.all(), "alcool").values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "group_search_text_fts" in plan


HOSTILE = st.sampled_from(
    [
        '"',
        '""*',
        "alcol*",
        "NEAR(alcol trento)",
        "alcol OR 1=1",
        "alcol AND NOT trento",
        "-alcol",
        "^alcol",
        "alcol:*",
        "a & b | !c",
        "(((",
        "'; DROP TABLE network_group; --",
        "\x00alcol",
        "l'",
        "’",
        "Città' UNION SELECT",
        "🙂 alcol",
        "_",
        "%",
        "ǅ ﬁ ß İ",
        "9" * 200,
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(HOSTILE, st.text(max_size=200), st.lists(HOSTILE, max_size=5).map(" ".join)))
def test_hostile_text_never_fails(client, network, q):
    api = client.get("/api/v1/groups?" + urlencode({"q": q}))
    assert api.status_code in (200, 400)
    page = client.get("/it/groups/?" + urlencode({"q": q}))
    assert page.status_code == 200


@pytest.fixture
def someone(django_user_model):
    return django_user_model.objects.create_user(username="coordinatrice", email="c@example.org")
