"""Short titles (issue 17): the distinguishing part of each title, carried by the content format,
the admin and a data migration for documents that existed before the field."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings

from briefings.content.exporter import export_briefing
from briefings.content.parser import parse_briefing
from briefings.models import Briefing

MIGRATION = import_module("briefings.migrations.0018_briefing_short_title")


def test_every_curated_document_has_the_distinguishing_part_of_its_title(db):
    shorts = dict(Briefing.objects.values_list("slug", "short_title"))
    assert shorts == {
        "police": "Police",
        "social-workers": "Social workers",
        "multi-agency-working": "Multi-agency working",
        "commissioning-health-care-services": "Commissioning health care services",
        "cse-factsheet": "CSE factsheet",
    }
    # Never invented: each is the end of the full title, or its acronym from the glossary.
    for briefing in Briefing.objects.exclude(slug="cse-factsheet"):
        assert briefing.title.endswith(f": {briefing.short_title}")


def test_the_content_format_reads_and_writes_a_short_title(db, tmp_path):
    police = Briefing.objects.get(slug="police")
    text = export_briefing(police)
    assert "\nshort_title: Police\n" in text
    data, errors = parse_briefing(tmp_path / "police.md", text)
    assert errors == []
    assert data.short_title == "Police"


def test_a_file_without_a_short_title_is_shown_by_its_full_title(db, tmp_path):
    source = Path(settings.BRIEFINGS_CONTENT_DIR) / "police.md"
    text = source.read_text().replace("short_title: Police\n", "")
    data, errors = parse_briefing(tmp_path / "police.md", text)
    assert errors == []
    assert data.short_title == ""
    briefing = Briefing(title=data.title, short_title=data.short_title)
    assert briefing.short_name == data.title


def test_the_admin_edits_the_short_title(editor_client, db):
    police = Briefing.objects.get(slug="police")
    page = editor_client.get(f"/admin/briefings/briefing/{police.pk}/change/").content.decode()
    assert 'name="short_title"' in page
    assert 'value="Police"' in page


def test_the_migration_takes_existing_short_titles_from_what_the_document_prints():
    derive = MIGRATION.short_title_from_title
    assert derive("Key messages from research on CSE: Police", "Police") == "Police"
    assert derive("Key messages from research on CSE: Social workers") == "Social workers"
    assert derive("A title: with: colons: Multi-agency working") == "Multi-agency working"
    # Nothing to take: left empty, so the full title is shown; nothing is made up.
    assert derive("Child sexual exploitation factsheet") == ""
    assert derive(": Police") == ""


def test_the_migrations_data_step_fills_only_empty_short_titles(db):
    Briefing.objects.filter(slug="police").update(short_title="")
    Briefing.objects.filter(slug="cse-factsheet").update(short_title="")
    Briefing.objects.filter(slug="social-workers").update(short_title="Edited by hand")
    MIGRATION.fill_short_titles(apps, None)
    shorts = dict(Briefing.objects.values_list("slug", "short_title"))
    assert shorts["police"] == "Police"
    assert shorts["cse-factsheet"] == ""
    assert shorts["social-workers"] == "Edited by hand"
