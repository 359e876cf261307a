"""No Markdown is rendered inside a write transaction: every way an editor changes content renders
first, then writes (on SQLite the transaction holds the write lock that trainers' saves need).

Each test watches the renderer while the change is made and checks that no rendering ran inside a
transaction the change opened, and that each text was rendered once, not once per pass.
"""

from collections import Counter

from django.urls import reverse

from briefings.editorial import selectors, services
from briefings.editorial.selectors import document_versions
from briefings.models import Briefing, KeyMessage, Role, Section
from tests.support.admin_forms import briefing_form, form_data, get_form, row_index, save_briefing
from tests.support.rendering import watch_rendering

NEW_BODY = "Record every contact, however brief ([Allnock, 2015](cite:allnock-2015))."


def _assert_rendered_first(renders, texts):
    assert renders, "nothing was rendered"
    assert [r.text[:60] for r in renders if r.in_transaction] == []
    assert Counter(r.text for r in renders) == Counter(texts)


def test_saving_a_document_renders_its_changed_texts_once_before_the_transaction(editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    data = briefing_form(editor_client, briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-body"] = NEW_BODY
    with watch_rendering() as renders:
        save_briefing(editor_client, briefing, data)
    # The document's own texts (it is always saved) and the one section that changed.
    _assert_rendered_first(renders, [briefing.intro, briefing.source_note, NEW_BODY])
    section.refresh_from_db()
    reference = briefing.citations.get(local_key="allnock-2015").reference
    assert f'href="/documents/police/#ref-{reference.key}"' in section.body_html
    assert list(section.cited_references.all()) == [reference]


def test_adding_a_document_with_its_parts_renders_before_the_transaction(editor_client):
    url = reverse("admin:briefings_briefing_add")
    data = form_data(editor_client.get(url).content.decode(), "briefing_form")
    data.update(
        {
            "title": "Rendered first",
            "slug": "rendered-first",
            "status": "published",
            "audiences": [str(Role.objects.get(slug="police").pk)],
            "intro": "An *introduction*.",
            "key_messages-TOTAL_FORMS": "1",
            "key_messages-0-order": "0",
            "key_messages-0-key": "one",
            "key_messages-0-text": "A **key** message.",
            "sections-TOTAL_FORMS": "1",
            "sections-0-order": "0",
            "sections-0-heading": "What to do",
            "sections-0-key": "what-to-do",
            "sections-0-status": "published",
            "sections-0-body": "Speak to the young person first.",
        }
    )
    with watch_rendering() as renders:
        response = editor_client.post(url, data)
    assert response.status_code == 302
    texts = ["An *introduction*.", "", "A **key** message.", "Speak to the young person first."]
    _assert_rendered_first(renders, texts)
    briefing = Briefing.objects.get(slug="rendered-first")
    assert briefing.intro_html == "<p>An <em>introduction</em>.</p>"
    assert briefing.key_messages.get().text_html == "A <strong>key</strong> message."


def test_saving_a_section_or_key_message_on_its_own_page_renders_before_the_transaction(
    editor_client,
):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    url = reverse("admin:briefings_section_change", args=[section.pk])
    data = get_form(editor_client, url, "section_form")
    with watch_rendering() as renders:
        assert editor_client.post(url, {**data, "body": NEW_BODY}).status_code == 302
    _assert_rendered_first(renders, [NEW_BODY])

    message = KeyMessage.objects.filter(briefing__slug="police").first()
    url = reverse("admin:briefings_keymessage_change", args=[message.pk])
    data = get_form(editor_client, url, "keymessage_form")
    with watch_rendering() as renders:
        assert editor_client.post(url, {**data, "text": "Listen *first*."}).status_code == 302
    _assert_rendered_first(renders, ["Listen *first*."])
    message.refresh_from_db()
    assert message.text_html == "Listen <em>first</em>."


def test_the_workflow_actions_render_before_the_transaction(editor_client):
    briefing = Briefing.objects.get(slug="police")
    url = reverse("admin:briefings_briefing_changelist")
    texts = [briefing.intro, briefing.source_note]
    for action in ("return_to_draft", "publish_selected", "mark_reviewed_today"):
        with watch_rendering() as renders:
            editor_client.post(url, {"action": action, "_selected_action": [briefing.pk]})
        _assert_rendered_first(renders, texts)
    assert len(document_versions(briefing)) == 4  # a starting point and one per action


def test_reverting_and_recovering_render_before_the_transaction(editor, editor_client):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    old_body = section.body
    data = briefing_form(editor_client, briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-body"] = NEW_BODY
    save_briefing(editor_client, briefing, data)
    baseline = document_versions(briefing).last()

    with watch_rendering() as renders:
        services.revert(briefing, baseline, editor)
    assert not [r for r in renders if r.in_transaction]
    section.refresh_from_db()
    assert section.body == old_body

    section_pk = section.pk
    section.delete()
    services.record_parts_deleted(briefing, editor, "Deleted a section.")
    deleted = selectors.deleted_sections(briefing.pk)[0]
    with watch_rendering() as renders:
        services.recover(deleted.version, editor)
    assert old_body in [r.text for r in renders]
    assert not [r for r in renders if r.in_transaction]
    assert Section.objects.get(pk=section_pk).body_html

    # A whole document, with its references: its texts render against the citations it brings.
    before = {s.pk: s.body_html for s in briefing.sections.all()}
    services.record_before_deleting([briefing], editor)
    briefing.delete()
    deleted = selectors.deleted_documents()[0]
    with watch_rendering() as renders:
        recovered = services.recover(deleted.version, editor)
    assert len(renders) >= len(before)
    assert not [r for r in renders if r.in_transaction]
    assert {s.pk: s.body_html for s in recovered.sections.all()} == before
    assert 'class="citation"' in "".join(before.values())
