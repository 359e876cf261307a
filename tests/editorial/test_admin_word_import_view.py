"""Starting a briefing from a Word document in the admin: converted, opened in the review step
for the editor to curate, and created as a draft only on confirmation."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings.models import Briefing, Quote, Role, Status, Theme
from tests.support.word import briefing_docx

WORD = reverse("admin:briefings_briefing_import_word")
REVIEW = reverse("admin:briefings_briefing_import_review")
SLUG = "key-messages-from-research-on-exploitation-youth-workers"


def _post(client, data=None, name="youth.docx", **fields):
    upload = SimpleUploadedFile(name, data if data is not None else briefing_docx())
    return client.post(
        WORD,
        {
            "file": upload,
            "kind": "research-briefing",
            "audiences": [Role.objects.get(slug="police").pk],
            "theme": Theme.objects.get(slug="barriers-to-disclosure").pk,
            **fields,
        },
    )


def test_the_documents_list_links_to_the_word_import(editor_client):
    page = editor_client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    assert f'<a href="{WORD}">Import from Word</a>' in page


def test_a_word_document_opens_in_the_review_step_and_becomes_a_draft(editor_client):
    response = _post(editor_client)
    assert response.status_code == 200
    check = response.context["check"]
    assert check.ok, check.errors
    assert not Briefing.objects.filter(slug=SLUG).exists()
    text = response.context["form"].initial["text"]
    assert text.startswith("---\n")
    assert f"slug: {SLUG}" in text
    page = response.content.decode()
    assert 'name="text"' in page
    assert "Create the draft" in page

    form = response.context["form"]
    editor_client.post(
        REVIEW,
        {**form.initial, "_confirm": "1"},
    )
    briefing = Briefing.objects.get(slug=SLUG)
    assert briefing.status == Status.DRAFT
    assert briefing.source_file == "youth.docx"
    assert list(briefing.audiences.values_list("slug", flat=True)) == ["police"]
    assert briefing.sections.filter(parent=None).count() == 4
    assert briefing.key_messages.count() == 3
    assert briefing.citations.count() == 10
    assert Quote.objects.filter(section__briefing=briefing).get().attribution == "Young person A"
    assert "<em>youth workers</em>" in briefing.intro_html


def test_the_editor_curates_the_converted_text_before_confirming(editor_client):
    response = _post(editor_client, title="Youth workers")
    form = response.context["form"]
    curated = form.initial["text"].replace(
        "themes=barriers-to-disclosure}", "themes=going-missing}", 1
    )
    response = editor_client.post(REVIEW, {**form.initial, "text": curated, "_check": "1"})
    assert response.context["check"].ok
    editor_client.post(REVIEW, {**response.context["form"].initial, "_confirm": "1"})
    briefing = Briefing.objects.get(slug="youth-workers")
    first = briefing.key_messages.order_by("order").first()
    assert [t.slug for t in first.themes.all()] == ["going-missing"]


def test_a_file_that_is_not_a_word_document_is_a_form_error(editor_client):
    response = _post(editor_client, data=b"plain text", name="notes.docx")
    assert "This is not a Word (.docx) document." in response.context["form"].errors["file"]
    response = _post(editor_client, data=b"x", name="notes.doc")
    assert "Choose a .docx file." in response.context["form"].errors["file"]
    assert not Briefing.objects.exclude(
        slug__in=[
            "police",
            "social-workers",
            "cse-factsheet",
            "multi-agency-working",
            "commissioning-health-care-services",
        ]
    ).exists()
