"""Revisions: every admin save is recorded, and any revision can be restored (as a new revision)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from briefings.models import Briefing, KeyMessage, Role, Section, SectionSlugHistory, Theme
from tests.support.admin_forms import briefing_form, form_data, row_index, save_briefing


def _versions(briefing):
    return list(
        Version.objects.get_for_object(briefing)
        .select_related("revision", "revision__user")
        .order_by("revision__date_created", "pk")
    )


def _add_document(client, body):
    role = Role.objects.get(slug="police")
    add_url = reverse("admin:briefings_briefing_add")
    data = form_data(client.get(add_url).content.decode(), "briefing_form")
    data.update(
        {
            "title": "A document edited twice",
            "slug": "edited-twice",
            "status": "published",
            "audiences": [str(role.pk)],
            "sections-TOTAL_FORMS": "1",
            "sections-0-order": "0",
            "sections-0-heading": "What to do",
            "sections-0-key": "what-to-do",
            "sections-0-status": "published",
            "sections-0-body": body,
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Briefing.objects.get(slug="edited-twice")


def _set_section_body(client, briefing, section, body, **extra):
    data = briefing_form(client, briefing)
    index = row_index(data, "sections", "id", section.pk)
    data[f"sections-{index}-body"] = body
    data.update(extra)
    save_briefing(client, briefing, data)


def _revert(client, briefing, version):
    url = reverse("admin:briefings_briefing_revert", args=[briefing.pk, version.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    response = client.post(url, form_data(confirm.content.decode(), "revert_form"))
    assert response.status_code == 302
    return confirm


def test_two_saves_then_a_revert_restore_the_earlier_text_and_leave_three_revisions(
    editor_client, editor
):
    briefing = _add_document(editor_client, "Speak to the young person first.")
    section = briefing.sections.get()
    _set_section_body(editor_client, briefing, section, "Call the duty team first.")
    assert (
        "Call the duty team first."
        in editor_client.get("/documents/edited-twice/").content.decode()
    )
    first, _second = _versions(briefing)

    confirm = _revert(editor_client, briefing, first)

    # The confirmation shows what reverting will change, word by word.
    page = confirm.content.decode()
    assert "<del>Call the duty team</del>" in page
    assert "<ins>Speak to the young person</ins>" in page
    section.refresh_from_db()
    assert section.body == "Speak to the young person first."
    public = editor_client.get("/documents/edited-twice/").content.decode()
    assert "Speak to the young person first." in public
    assert "Call the duty team first." not in public
    versions = _versions(briefing)
    assert len(versions) == 3
    revert = versions[-1].revision
    assert revert.user == editor
    assert revert.comment.startswith("Reverted to the version of")


def test_every_save_records_who_when_and_the_editors_comment(editor_client, editor):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    _set_section_body(
        editor_client,
        briefing,
        section,
        section.body + "\n\nA new closing paragraph.",
        revision_comment="Added the closing paragraph the author asked for.",
    )
    baseline, saved = _versions(briefing)
    assert baseline.revision.user is None
    assert baseline.revision.comment.startswith("Starting point")
    assert saved.revision.user == editor
    assert saved.revision.comment == "Added the closing paragraph the author asked for."
    assert saved.revision.date_created >= baseline.revision.date_created


def test_without_a_comment_the_revision_says_what_the_admin_changed(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    _set_section_body(editor_client, briefing, section, section.body + " More.")
    comment = _versions(briefing)[-1].revision.comment
    assert "Barriers to engagement" in comment
    assert "Changed" in comment


def test_the_first_admin_edit_of_imported_content_can_be_undone(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    original_body, original_html = section.body, section.body_html
    quotes = list(section.quotes.values_list("text", "attribution"))
    _set_section_body(editor_client, briefing, section, "Replaced entirely.")
    assert section.quotes.count() == 0

    baseline = _versions(briefing)[0]
    _revert(editor_client, briefing, baseline)

    section.refresh_from_db()
    assert section.body == original_body
    assert section.body_html == original_html
    assert list(section.quotes.values_list("text", "attribution")) == quotes


def test_a_revert_puts_back_structure_themes_and_headings_and_keeps_links_working(
    editor_client,
):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    old_slug = section.slug
    themes_before = sorted(section.themes.values_list("slug", flat=True))
    message = briefing.key_messages.order_by("order").first()
    data = briefing_form(editor_client, briefing)
    index = row_index(data, "sections", "id", section.pk)
    data[f"sections-{index}-heading"] = "Engaging young people"
    data[f"sections-{index}-slug"] = "engaging-young-people"
    data[f"sections-{index}-themes"] = [str(Theme.objects.get(slug="trafficking").pk)]
    data[f"key_messages-{row_index(data, 'key_messages', 'id', message.pk)}-DELETE"] = "on"
    total = int(data["sections-TOTAL_FORMS"])
    data.update(
        {
            "sections-TOTAL_FORMS": str(total + 1),
            f"sections-{total}-order": "99",
            f"sections-{total}-heading": "A section added later",
            f"sections-{total}-key": "added-later",
            f"sections-{total}-status": "published",
            f"sections-{total}-body": "Added after the import.",
        }
    )
    save_briefing(editor_client, briefing, data)
    assert not KeyMessage.objects.filter(pk=message.pk).exists()
    assert editor_client.get(f"/documents/police/{old_slug}/").status_code == 301

    _revert(editor_client, briefing, _versions(briefing)[0])

    section.refresh_from_db()
    assert section.heading == "Barriers to engagement"
    assert section.slug == old_slug
    assert sorted(section.themes.values_list("slug", flat=True)) == themes_before
    restored = KeyMessage.objects.get(pk=message.pk)
    assert restored.text == message.text
    assert restored.themes.exists()
    assert not Section.objects.filter(briefing=briefing, key="added-later").exists()
    # Links made while the section had its newer name still arrive.
    assert SectionSlugHistory.objects.filter(slug="engaging-young-people").exists()
    response = editor_client.get("/documents/police/engaging-young-people/")
    assert response.status_code == 301
    assert response["Location"] == f"/documents/police/{old_slug}/"
    assert editor_client.get(f"/k/{message.pk}/").status_code == 302


def test_editing_a_section_on_its_own_page_is_a_revision_of_its_document(editor_client, editor):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    url = reverse("admin:briefings_section_change", args=[section.pk])
    data = form_data(editor_client.get(url).content.decode(), "section_form")
    data["body"] = section.body + "\n\nEdited on its own page."
    assert editor_client.post(url, data).status_code == 302
    versions = _versions(section.briefing)
    assert len(versions) == 2
    latest = versions[-1].revision
    assert latest.user == editor
    assert "Barriers to engagement" in latest.comment
    # The document's revision holds the whole document, with the edited section in it.
    assert latest.version_set.count() > section.briefing.sections.count()


def test_the_revisions_page_lists_each_revision_with_its_author_and_comment(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    for n in range(3):
        _set_section_body(editor_client, briefing, section, f"Version {n}.")
    page = editor_client.get(
        reverse("admin:briefings_briefing_revisions", args=[briefing.pk])
    ).content.decode()
    assert len(re.findall(r'<input type="radio" name="old"', page)) == 4
    assert page.count('<td data-label="By">editor</td>') == 3
    assert "Starting point" in page
    assert page.count("Revert to this") == 3  # not offered for the current revision


def test_the_revisions_page_costs_the_same_queries_however_long_the_history(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    url = reverse("admin:briefings_briefing_revisions", args=[briefing.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url).status_code == 200
        return len(captured)

    _set_section_body(editor_client, briefing, section, "Version 0.")
    short = queries()
    for n in range(1, 6):
        _set_section_body(editor_client, briefing, section, f"Version {n}.")
    assert queries() == short
