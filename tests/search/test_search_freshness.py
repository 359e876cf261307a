"""The index follows every edit in the same transaction: an edit saved in the admin is found on
the next request, a delete removes it, and the importer's writes are indexed too."""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings.models import (
    Briefing,
    Citation,
    GlossaryTerm,
    KeyMessage,
    Role,
    SearchEntry,
    Section,
    Status,
    Theme,
)
from tests.support.search import admin_form_data, make_document, outcome_of

pytestmark = pytest.mark.django_db


def section(doc, key):
    return Section.objects.get(briefing__slug=doc, key=key)


def urls(**params):
    return [h.url for h in outcome_of(**params).hits]


def save_in_admin(client, obj, **changes):
    url = reverse(f"admin:briefings_{obj._meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_section_edited_in_the_admin_is_found_on_the_next_request(editor_client, client):
    barriers = section("police", "barriers-to-engagement")
    assert client.get("/search/", {"q": "capybara"}).context["outcome"].total == 0
    save_in_admin(editor_client, barriers, body=barriers.body + "\n\nA capybara paragraph.")
    response = client.get("/search/", {"q": "capybara"})
    assert response.context["outcome"].hits[0].url == "/documents/police/barriers-to-engagement/"


def test_a_word_saved_in_the_admin_is_offered_as_a_spelling_on_the_next_request(
    editor_client, client
):
    barriers = section("police", "barriers-to-engagement")
    assert outcome_of(q="axolotyl").suggestion is None
    save_in_admin(editor_client, barriers, body=barriers.body + "\n\nAn axolotl paragraph.")
    outcome = outcome_of(q="axolotyl")
    assert outcome.suggestion == "axolotl"
    assert outcome.hits[0].url == "/documents/police/barriers-to-engagement/"


def test_a_heading_changed_in_the_admin_is_found_and_the_old_one_is_not(editor_client):
    barriers = section("police", "barriers-to-engagement")
    save_in_admin(editor_client, barriers, heading="Obstacles to engagement", slug="")
    assert "/documents/police/obstacles-to-engagement/" in urls(q="obstacles engagement")
    assert not [u for u in urls(q="barriers engagement", kind="section") if "police/barriers" in u]


def test_a_section_deleted_in_the_admin_disappears_from_the_results(editor_client):
    investigating = section("police", "investigating-cse")
    assert "/documents/police/investigating-cse/" in urls(q="victimless")
    url = reverse("admin:briefings_section_delete", args=[investigating.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert urls(q="victimless") == []
    assert not SearchEntry.objects.filter(section_id=investigating.pk).exists()


def test_a_section_made_a_draft_in_the_admin_disappears_from_the_results(editor_client):
    save_in_admin(editor_client, section("police", "investigating-cse"), status=Status.DRAFT)
    assert urls(q="victimless") == []


def test_a_glossary_term_added_in_the_admin_expands_on_the_next_request(editor_client):
    assert urls(q="VWPX") == []
    response = editor_client.post(
        reverse("admin:briefings_glossaryterm_add"),
        {"term": "VWPX", "expansion": "victimless prosecutions", "note": "", "_save": "Save"},
    )
    assert response.status_code == 302
    found = urls(q="VWPX")
    assert "/glossary/#term-vwpx" in found
    assert "/documents/police/investigating-cse/" in found


def test_a_glossary_term_deleted_is_no_longer_found():
    term = GlossaryTerm.objects.get(term="CAMHS")
    term.delete()
    assert "/glossary/#term-camhs" not in urls(q="CAMHS")


def test_a_key_message_edited_then_deleted(editor_client):
    message = KeyMessage.objects.get(briefing__slug="police", key="km-few-approach-police")
    save_in_admin(editor_client, message, text="Only a minority approach the police: ocelot.")
    assert urls(q="ocelot") == ["/documents/police/#km-km-few-approach-police"]
    message.delete()
    assert urls(q="ocelot") == []


def test_a_reference_corrected_is_found_under_its_new_title():
    # A document's citation holds the work as that document gives it (issue 20).
    citation = Citation.objects.filter(briefing__slug="police").select_related("reference").first()
    citation.title = "A study of the marmoset"
    citation.save()
    assert any(u.endswith(f"#ref-{citation.reference.key}") for u in urls(q="marmoset"))


def test_themes_given_and_taken_away_are_followed_by_the_theme_filter():
    theme = Theme.objects.get(slug="trafficking")
    barriers = section("police", "barriers-to-engagement")
    filtered = {"q": "masculinity", "theme": "trafficking"}
    assert "/documents/police/barriers-to-engagement/" not in urls(**filtered)
    barriers.themes.add(theme)
    assert "/documents/police/barriers-to-engagement/" in urls(**filtered)
    barriers.themes.remove(theme)
    assert "/documents/police/barriers-to-engagement/" not in urls(**filtered)


def test_a_theme_renamed_is_found_under_its_new_name():
    theme = Theme.objects.get(slug="trafficking")
    theme.name = "Trafficking and narwhals"
    theme.save()
    assert any("/documents/" in u for u in urls(q="narwhals"))


def test_a_change_of_audience_is_followed_by_the_role_filter():
    police = Briefing.objects.get(slug="police")
    assert "/documents/police/investigating-cse/" not in urls(q="victimless", audience="schools")
    police.audiences.add(Role.objects.get(slug="schools"))
    assert "/documents/police/investigating-cse/" in urls(q="victimless", audience="schools")


def test_the_importer_indexes_what_it_writes(tmp_path):
    source = settings.BRIEFINGS_CONTENT_DIR / "police.md"
    copy = tmp_path / "police.md"
    text = source.read_text(encoding="utf-8")
    assert "Taking time to ask more searching questions" in text
    copy.write_text(
        text.replace("Taking time to ask more searching questions", "Taking time to ask gecko"),
        encoding="utf-8",
    )
    call_command("import_briefings", str(copy), verbosity=0)
    assert urls(q="gecko") == ["/documents/police/barriers-to-engagement/"]
    shutil.copy(source, copy)
    call_command("import_briefings", str(copy), verbosity=0)
    assert urls(q="gecko") == []


def test_saving_unchanged_text_writes_nothing_to_the_index():
    barriers = section("police", "barriers-to-engagement")
    with CaptureQueriesContext(connection) as queries:
        barriers.save()
    table = SearchEntry._meta.db_table
    writes = [q["sql"] for q in queries if table in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []


def test_an_edit_rolled_back_leaves_the_index_as_it_was():
    barriers = section("police", "barriers-to-engagement")
    with transaction.atomic():
        barriers.body += "\n\nA pangolin."
        barriers.save()
        assert urls(q="pangolin") == ["/documents/police/barriers-to-engagement/"]
        transaction.set_rollback(True)
    assert urls(q="pangolin") == []


def test_a_deleted_document_takes_its_index_rows_with_it():
    briefing = make_document(
        "search-gone",
        [("s1", "Aardvark", "Aardvark.\n\n> “Aardvark.”\n>\n> — Young person")],
        key_messages=[("k1", "Aardvark.")],
        references=[("r1", "Aardvark")],
    )
    assert len(urls(q="aardvark")) == 4
    briefing.delete()
    assert urls(q="aardvark") == []
    assert not SearchEntry.objects.filter(title__icontains="aardvark").exists()
