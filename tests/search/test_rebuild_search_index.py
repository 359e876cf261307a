"""manage.py rebuild_search_index: fills the index from the content, whatever state it is in."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from briefings.models import GlossaryTerm, KeyMessage, SearchEntry, Section
from briefings.search import index
from briefings.search.engines import backend_for
from briefings.search.query import vocabulary_words
from tests.support.search import outcome_of

pytestmark = pytest.mark.django_db


def rebuild():
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    return out.getvalue()


def test_it_rebuilds_an_emptied_index_and_says_how_many_rows():
    expected = sorted(SearchEntry.objects.values_list("kind", "object_id", "part", "title"))
    SearchEntry.objects.all().delete()
    assert outcome_of(q="victimless").total == 0
    output = rebuild()
    assert f"Indexed {len(expected)} search entries" in output
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "part", "title")) == expected
    assert outcome_of(q="victimless").hits[0].url == "/documents/police/investigating-cse/"


def test_it_covers_every_kind_of_content():
    rebuild()
    counts = {
        kind: SearchEntry.objects.filter(kind=kind).count() for kind, _ in SearchEntry.Kind.choices
    }
    assert counts["section"] == Section.objects.count()
    assert counts["key-message"] == KeyMessage.objects.count()
    assert counts["glossary"] == GlossaryTerm.objects.count()
    assert counts["quote"] > 0
    assert counts["reference"] > 0


def test_it_repairs_content_changed_behind_the_signals_back():
    Section.objects.filter(briefing__slug="police", key="investigating-cse").update(
        heading="Investigating with a lemur"
    )
    assert outcome_of(q="lemur").total == 0
    rebuild()
    assert outcome_of(q="lemur").hits[0].url == "/documents/police/investigating-cse/"


def test_it_restores_full_text_structures_that_went_missing():
    backend = backend_for()
    assert backend.missing() == []
    if backend.vendor == "sqlite":
        backend.execute("DROP TRIGGER briefings_searchentry_fts_insert")
    else:
        backend.execute(
            "DROP TRIGGER briefings_searchentry_vocabulary_delete ON briefings_searchentry"
        )
    assert backend.missing() != []
    rebuild()
    assert backend.missing() == []


def test_the_system_check_warns_of_a_missing_structure_until_a_rebuild():
    from briefings.search.checks import full_text_index_is_complete

    assert full_text_index_is_complete(databases=["default"]) == []
    backend = backend_for()
    if backend.vendor == "sqlite":
        backend.execute("DROP TRIGGER briefings_searchentry_fts_update")
    else:
        backend.execute("DROP INDEX briefings_searchentry_vector")
    [warning] = full_text_index_is_complete(databases=["default"])
    assert warning.id == "briefings.W501"
    assert "rebuild_search_index" in warning.hint
    rebuild()
    assert full_text_index_is_complete(databases=["default"]) == []


def test_running_it_twice_gives_the_same_index():
    rebuild()
    first = sorted(SearchEntry.objects.values_list("kind", "object_id", "part", "body"))
    rebuild()
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "part", "body")) == first


def test_it_counts_the_spelling_vocabulary_again_from_the_rows():
    rows = SearchEntry.objects.values_list("heading", "summary", "body", "extra")
    holding = Counter(word for row in rows for word in vocabulary_words(*row))
    backend = backend_for()
    backend.execute("DELETE FROM briefings_searchentry_vocabulary")
    assert backend.word_counts(["child", "exploitation"]) == {}
    rebuild()
    assert backend.word_counts(["child", "exploitation", "zzzz"]) == {
        "child": holding["child"],
        "exploitation": holding["exploitation"],
    }


def test_quiet_mode_prints_nothing():
    out = StringIO()
    call_command("rebuild_search_index", verbosity=0, stdout=out)
    assert out.getvalue() == ""


def test_the_index_rows_hold_the_text_readers_see_not_markdown():
    rebuild()
    entry = SearchEntry.objects.get(
        kind="section",
        object_id=Section.objects.get(briefing__slug="police", key="investigating-cse").pk,
    )
    assert "cite:" not in entry.body
    assert "](" not in entry.body
    assert "(Beckett and Warrington, 2015)" in entry.body
    assert index.plain("a\x02b\x00c  d") == "a b c d"


def test_a_rebuild_makes_cached_pages_stale():
    from portal.caching import current_version

    before = current_version().token
    call_command("rebuild_search_index", verbosity=0)
    assert current_version().token != before


def stored_in_the_row(column):
    """Whether PostgreSQL stores the column in the row (STORAGE MAIN) rather than in TOAST."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'briefings_searchentry'::regclass AND attname = %s",
            [column],
        )
        return cursor.fetchone()[0] == "m"


def test_postgresql_keeps_the_vectors_in_the_row_and_a_rebuild_restores_it():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's storage of its search vectors (SQLite's FTS5 has none)")
    backend = backend_for()
    assert stored_in_the_row("search_vector")
    assert stored_in_the_row("search_strong")
    backend.execute(
        "ALTER TABLE briefings_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED"
    )
    assert backend.missing() == ["search_vector inline"]
    rebuild()
    assert backend.missing() == []
    assert stored_in_the_row("search_vector")
