"""A word the vocabulary does not hold as written may still be in the index as its stem
("keeps": the text says "keep"). The speller then offers the stem's own spelling, which the
index reads as the same word: respelling it would run the same search again for nothing."""

import pytest
from django.db import connection

from briefings.search.engines import backend_for
from briefings.search.engines.base import SearchBackend
from tests.support.search import make_document, outcome_of

pytestmark = pytest.mark.django_db


def test_a_correction_the_index_reads_as_the_typed_word_runs_no_second_search(monkeypatch):
    make_document("quokka-care", [("s1", "Quokkas", "The keeper will whisk the quokka away.")])
    ran = []
    original = SearchBackend.search

    def spy(self, query, *args, **kwargs):
        ran.append(query.words())
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(SearchBackend, "search", spy)
    # "zzyzxq" is in no row, which would spare the respelt search on its own account
    # (test_search_skips_hopeless_searches.py): here the index is not asked, so only the stems
    # decide.
    monkeypatch.setattr(type(backend_for()), "unmatched", lambda self, lookups: set())
    outcome = outcome_of(q="whisks zzyzxq")
    # Nothing holds both words; the closest results hold one of them.
    assert outcome.relaxed
    assert [hit.url for hit in outcome.hits] == ["/documents/quokka-care/quokkas/"]
    assert not outcome.typed  # what the reader typed is not respelt
    respelt = [words for words in ran if "whisk" in words]
    if connection.vendor == "postgresql":
        assert respelt == []
    else:
        # SQLite has no stemmer that SQL can call: it searches the respelt words too, which
        # finds what the typed words found.
        assert len(respelt) == 1
