"""Importing the documents in any order gives the same database (issue 20).

The five files are imported one at a time into an empty database, in every order, and the
content tables are compared (tests/support/fingerprint.py). The orders are walked as the lattice
of the sets of files imported so far, with a savepoint at each step: each file is imported once
into each set's database (35 imports rather than 600), and every other way of reaching a set
must give the fingerprint the first way gave. So every order gives the same database, as long as
an import depends on the database only through its content (not its row ids). The first walk
down the lattice, and the batch import of all five, are whole sequences.

social-workers cites three other documents (``cite:police/...``); importing it before them is
refused, with nothing written, as an editor would see it. The editor imports it again after the
others, so such an order ends as the order it then follows.
"""

import itertools
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from briefings.content.data import ContentErrors
from briefings.content.importer import Importer
from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Quote,
    Reference,
    SearchEntry,
    Section,
    SectionSlugHistory,
    Series,
    Theme,
    ThemedKeyMessage,
    ThemedSection,
)
from tests.support.fingerprint import content_fingerprint

CONTENT = Path(settings.BRIEFINGS_CONTENT_DIR)
FILES = sorted(CONTENT.glob("*.md"))


def empty_the_content():
    """The test database as migrations leave it (roles, groups), plus the themes file.

    Deleted with plain SQL, without the signals deleting row by row would send: nothing this
    test compares is kept up to date by them, and the test's transaction is rolled back."""
    tables = [
        SearchEntry,
        Quote,
        ThemedSection,
        ThemedKeyMessage,
        SectionSlugHistory,
        Section.cited_references.through,
        Citation,
        KeyMessage,
        Section,
        Briefing.audiences.through,
        Briefing.glossary_terms.through,
        Briefing,
        Reference,
        GlossaryTerm,
        Series,
        Theme,
    ]
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a quoted table name
    Importer([CONTENT / "themes.yaml"]).run()


def import_one(path):
    """Import one file; return the problems if it is refused."""
    try:
        Importer([path]).run()
    except ContentErrors as exc:
        return exc.errors
    return None


def explore(done, fingerprints, refused):
    """From the database holding the files in ``done`` (a sequence), import each other file in
    a savepoint; record each set's fingerprint the first time it is reached, compare it every
    other time, and record each refused (set, file)."""
    for path in FILES:
        if path in done:
            continue
        after = frozenset((*done, path))
        savepoint = transaction.savepoint()
        errors = import_one(path)
        if errors is not None:
            refused[(frozenset(done), path)] = errors
        elif after in fingerprints:
            assert content_fingerprint() == fingerprints[after], (done, path)
        else:
            fingerprints[after] = content_fingerprint()
            explore((*done, path), fingerprints, refused)
        transaction.savepoint_rollback(savepoint)


def as_imported(order, refused):
    """The set of files ``order`` ends with, each imported after the files before it: a
    refused file is imported again after the others, until none is refused."""
    done, pending = frozenset(), list(order)
    while pending:
        retry = []
        for path in pending:
            if (done, path) in refused:
                retry.append(path)
            else:
                done = done | {path}
        assert len(retry) < len(pending), f"{order} can never be imported"
        pending = retry
    return done


def test_every_order_of_the_five_files_gives_the_same_database(db, settings, monkeypatch):
    # Speed: the page cache's version is not written to a file at every save, and the search
    # index, which this test does not compare, is not kept (tests/search prove it follows).
    settings.PAGE_CACHE_VERSION_STORE = "cache"
    for name in ("index_sections", "index_key_messages", "index_citations", "index_glossary"):
        monkeypatch.setattr(f"briefings.search.index.{name}", lambda *args, **kwargs: 0)
    empty_the_content()
    fingerprints, refused = {}, {}
    explore((), fingerprints, refused)
    everything = fingerprints[frozenset(FILES)]
    assert everything["Briefing"]
    assert everything["Reference"]
    assert everything["GlossaryTerm"]
    # Every one of the 120 orders ends with all five imported.
    orders = list(itertools.permutations(FILES))
    assert len(orders) == 120
    assert all(as_imported(order, refused) == frozenset(FILES) for order in orders)
    # The only refusals are of a document citing one not imported yet.
    assert {path.name for _, path in refused} == {"social-workers.md"}
    for errors in refused.values():
        assert all("matches no reference of document" in e.message for e in errors)
    # All five files at once give the same database too.
    empty_the_content()
    Importer(FILES).run()
    assert content_fingerprint() == everything


def test_the_refused_imports_write_nothing(db):
    empty_the_content()
    before = content_fingerprint()
    errors = import_one(CONTENT / "social-workers.md")
    assert errors
    assert content_fingerprint() == before
