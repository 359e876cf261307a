"""Only real changes are changes: line ends and trailing spaces are normalised wherever a text
arrives, an untouched form records nothing, and the compare view lists only changed sections."""

import reversion
from django.urls import reverse

from briefings.editorial import diff, revisions, selectors
from briefings.models import Briefing, Section
from briefings.normalise import normalise_text
from tests.support.admin_forms import briefing_form, form_data, row_index, save_briefing


def _crlf(data):
    """What a browser sends: every textarea's lines end in CRLF."""
    return {
        name: value.replace("\n", "\r\n") if isinstance(value, str) and "\n" in value else value
        for name, value in data.items()
    }


def _change_url(briefing):
    return reverse("admin:briefings_briefing_change", args=[briefing.pk])


def test_normalising_keeps_hard_breaks_and_drops_other_trailing_whitespace():
    text = "\r\nA quote.  \r\n(New England definition 2017) \t\r\n\r\nNext.   \rLast line  \n\n"
    assert normalise_text(text) == "A quote.  \n(New England definition 2017)\n\nNext.  \nLast line"
    assert normalise_text(normalise_text(text)) == normalise_text(text)


def test_saving_the_police_document_unchanged_records_no_change(editor_client):
    police = Briefing.objects.get(slug="police")
    versions_before = selectors.document_versions(police).count()
    updated_before = police.updated
    data = _crlf(
        form_data(editor_client.get(_change_url(police)).content.decode(), "briefing_form")
    )
    assert any("\r\n" in v for v in data.values() if isinstance(v, str))

    response = editor_client.post(_change_url(police), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    police.refresh_from_db()
    assert police.updated == updated_before
    # At most the starting point the first edit records; no revision with changed sections.
    versions = list(selectors.document_versions(police))
    assert len(versions) <= versions_before + 1
    assert all("Changed" not in v.revision.comment for v in versions)
    assert not Section.objects.filter(briefing=police, body__contains="\r").exists()


def test_one_edited_section_is_the_only_change_in_the_history_and_compare(editor_client):
    police = Briefing.objects.get(slug="police")
    data = _crlf(briefing_form(editor_client, police))
    edited = police.sections.order_by("order").first()
    index = row_index(data, "sections", "id", edited.pk)
    data[f"sections-{index}-body"] += "\r\n\r\nA sentence added in the admin."

    save_briefing(editor_client, police, data)

    latest, baseline = list(selectors.document_versions(police))[:2]
    assert latest.revision.comment.count("Changed") == 1
    assert edited.heading in latest.revision.comment
    _old, _new, changes = diff.compare_versions(police, baseline, latest)
    assert [item.title for item in changes.sections] == [edited.heading]
    compare = reverse("admin:briefings_briefing_compare", args=[police.pk])
    page = editor_client.get(compare, {"old": baseline.pk, "new": latest.pk}).content.decode()
    assert "A sentence added in the admin." in page


def test_a_revision_stored_with_crlf_compares_equal_to_the_same_text_in_lf(editor):
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    Section.objects.filter(pk=section.pk).update(body=section.body.replace("\n", "  \r\n"))
    with reversion.create_revision():
        reversion.set_user(editor)
        revisions.record_document(Briefing.objects.get(pk=police.pk))
    Section.objects.filter(pk=section.pk).update(body=section.body)
    stored = selectors.document_versions(police).first()

    _old, _new, changes = diff.compare_versions(police, stored, None)

    assert changes.sections == []
    assert not changes.has_changes


def test_importing_a_file_with_crlf_and_trailing_spaces_stores_normalised_text(db, tmp_path):
    from django.core.management import call_command

    source = (
        __import__("pathlib").Path(__file__).resolve().parents[2] / "fixtures/briefings/police.md"
    )
    copy = tmp_path / "police.md"
    copy.write_bytes(
        source.read_bytes().replace(b"\n", b"  \r\n").replace(b"---  \r\n", b"---\r\n")
    )
    call_command("import_briefings", str(copy), verbosity=0)
    assert not Section.objects.filter(body__contains="\r").exists()
    assert not Section.objects.filter(body__regex=r"[ \t]\n\n").exists()
    definition = Section.objects.get(briefing__slug="police", body__contains="New England")
    assert "(a) in exchange" in definition.body
    assert "  \n(New England definition 2017)" in definition.body  # the hard break is kept
    assert "<br" in definition.body_html


def test_the_data_migration_normalises_rows_stored_before(db):
    from importlib import import_module

    from django.apps import apps

    section = Section.objects.filter(body__contains="\n").first()
    Section.objects.filter(pk=section.pk).update(body=section.body.replace("\n", " \t\r\n"))
    police = Briefing.objects.get(slug="police")
    Briefing.objects.filter(pk=police.pk).update(intro=police.intro + "   \r\n")

    import_module("briefings.migrations.0019_normalise_stored_texts").normalise_stored_texts(
        apps, None
    )

    assert Section.objects.get(pk=section.pk).body == section.body
    assert Briefing.objects.get(pk=police.pk).intro == police.intro
