"""Migrations 0011-0013 bring a database of the old shape (one shared row per cited work, shared
series titles) to the new one without losing a printed entry (issue 20)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from briefings.models import Briefing, Citation, GlossaryTerm, Reference
from briefings.models.references import WORK_FIELDS
from tests.conftest import load_portal_content

OLD = [("briefings", "0008_search_facet_words")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_an_old_database_keeps_every_printed_entry(transactional_db):
    load_portal_content()
    old = migrate(OLD)
    old_citations = old.get_model("briefings", "Citation")
    old_references = old.get_model("briefings", "Reference")
    old_series_titles = old.get_model("briefings", "SeriesTitle")
    old_series = old.get_model("briefings", "Series")
    # The old shape: the shared row holds whatever the last file imported gave it.
    old_references.objects.filter(key__startswith="beckett-2011").update(publisher="Last file's")
    series = old_series.objects.get()
    for order, title in enumerate(["Police", "Social workers", "Multi-agency working"]):
        old_series_titles.objects.create(series=series, title=title, order=order)
    printed = {
        (c.briefing.slug, c.local_key): (c.entry, c.entry_html, c.label, c.order, c.listed)
        for c in old_citations.objects.select_related("briefing")
    }
    works = {
        (c.briefing.slug, c.local_key): tuple(getattr(c.reference, f) for f in WORK_FIELDS)
        for c in old_citations.objects.select_related("briefing", "reference")
    }
    series_lists = dict(
        old.get_model("briefings", "Briefing").objects.values_list("slug", "also_available")
    )
    assert len(printed) == 172

    migrate(latest())

    citations = Citation.objects.select_related("briefing")
    assert {
        (c.briefing.slug, c.local_key): (c.entry, c.entry_html, c.label, c.order, c.listed)
        for c in citations
    } == printed
    # Each citation starts from the work's fields as the database had them.
    assert {
        (c.briefing.slug, c.local_key): tuple(getattr(c, f) for f in WORK_FIELDS) for c in citations
    } == works
    assert Reference.objects.get(key__startswith="beckett-2011").publisher == "Last file's"
    assert dict(Briefing.objects.values_list("slug", "also_available")) == series_lists
    # No document is yet known to define a term, so every term stays public, as before.
    assert GlossaryTerm.objects.count() == GlossaryTerm.objects.public().count() > 0
