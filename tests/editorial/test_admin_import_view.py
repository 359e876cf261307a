"""Importing a briefing file from the admin (briefings/admin/imports.py): the same importer as
``import_briefings``, a dry run before anything is written, and a new document always a draft."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Revision

from briefings.content.exporter import export_briefing
from briefings.content.uploads import MAX_UPLOAD_BYTES, CheckedText
from briefings.models import Briefing, Section, Status
from tests.support.briefing_files import briefing_file

IMPORT = reverse("admin:briefings_briefing_import")
REVIEW = reverse("admin:briefings_briefing_import_review")


def _upload(client, text, name="youth-workers.md"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, text.encode())})


def _confirm(client, response):
    form = response.context["form"]
    return client.post(
        REVIEW,
        {
            "name": form.initial["name"],
            "text": form.initial["text"],
            "checked": form.initial["checked"],
            "versions": json.dumps(form.initial["versions"]),
            "_confirm": "1",
        },
    )


def test_the_documents_list_links_to_the_import_page(editor_client):
    page = editor_client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    links = re.findall(r'<a href="([^"]+)">(Import[^<]*)</a>', page)
    assert (IMPORT, "Import a briefing file") in links


def test_a_file_is_checked_and_nothing_is_written_until_it_is_confirmed(editor_client):
    response = _upload(editor_client, briefing_file())
    assert response.status_code == 200
    check = response.context["check"]
    assert check.ok
    assert not Briefing.objects.filter(slug="youth-workers").exists()
    page = response.content.decode()
    assert "Creates a new document" in page
    assert "Dry run, nothing written: would have created 1 document" in page
    assert "created 4 sections" in page
    assert "created 3 key messages" in page
    assert 'name="_confirm"' in page

    response = _confirm(editor_client, response)
    briefing = Briefing.objects.get(slug="youth-workers")
    page = editor_client.get(response["Location"]).content.decode()
    assert "It is a draft: use “View preview”" in page
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:briefings_briefing_change", args=[briefing.pk])
    assert (briefing.sections.count(), briefing.key_messages.count()) == (4, 3)
    assert briefing.citations.count() == 10


def test_a_new_document_is_a_draft_whatever_its_file_says(editor_client):
    _confirm(editor_client, _upload(editor_client, briefing_file(status="published")))
    assert Briefing.objects.get(slug="youth-workers").status == Status.DRAFT


def test_problems_are_listed_by_line_and_nothing_can_be_confirmed(editor_client):
    text = (
        briefing_file()
        .replace("{key=section-2 ", "{")
        .replace("audiences: [police]", "audiences: [nobody]")
    )
    response = _upload(editor_client, text)
    errors = response.context["check"].errors
    assert errors
    assert all(re.match(r"^line \d+: ", error) for error in errors)
    heading_line = (
        text.splitlines().index(
            next(line for line in text.splitlines() if line.startswith("## Section 2"))
        )
        + 1
    )
    assert f"line {heading_line}: this section needs a key=... (its permanent identity)" in errors
    assert any("nobody" in error for error in errors)
    assert 'name="_confirm"' not in response.content.decode()
    assert not Briefing.objects.filter(slug="youth-workers").exists()


def test_a_text_changed_after_its_check_is_checked_again_not_imported(editor_client):
    response = _upload(editor_client, briefing_file())
    form = response.context["form"]
    tampered = form.initial["text"].replace("Key messages: Youth workers", "Another title")
    response = editor_client.post(
        REVIEW,
        {
            "name": form.initial["name"],
            "text": tampered,
            "checked": form.initial["checked"],
            "_confirm": "1",
        },
    )
    assert response.status_code == 200
    assert "The text changed since it was checked" in response.content.decode()
    assert not Briefing.objects.filter(slug="youth-workers").exists()
    # The new check signs the new text, so that can be confirmed.
    assert CheckedText.matches(
        response.context["form"].initial["checked"], form.initial["name"], tampered
    )


def test_an_edited_text_can_be_checked_again_from_the_review_page(editor_client):
    response = _upload(editor_client, briefing_file().replace("{key=section-2 ", "{"))
    form = response.context["form"]
    fixed = form.initial["text"].replace(
        "## Section 2 heading {", "## Section 2 heading {key=section-2 "
    )
    response = editor_client.post(
        REVIEW, {"name": form.initial["name"], "text": fixed.replace("\n", "\r\n"), "_check": "1"}
    )
    assert response.context["check"].ok
    _confirm(editor_client, response)
    assert Briefing.objects.get(slug="youth-workers").sections.count() == 4


def test_an_export_imported_again_changes_nothing(editor_client):
    briefing = Briefing.objects.get(slug="police")
    response = editor_client.get(reverse("admin:briefings_briefing_export", args=[briefing.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="police.md"'
    exported = response.content.decode()
    assert exported == export_briefing(briefing)

    response = _upload(editor_client, exported, name="police.md")
    check = response.context["check"]
    assert check.ok, check.errors
    assert not check.report.changed
    assert check.documents[0].exists
    assert check.documents[0].section_changes == []
    assert "no changes" in response.content.decode()


def test_an_update_keeps_the_status_and_is_a_revision_by_the_editor(editor_client, editor):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.order_by("order").first()
    text = export_briefing(briefing).replace(section.body, section.body + "\n\nA new paragraph.", 1)
    response = _upload(editor_client, text, name="police.md")
    plan = response.context["check"].documents[0]
    assert plan.exists
    assert plan.status == Status.PUBLISHED
    assert plan.section_changes == [f"Section “{section.heading}”: text changed"]
    page = editor_client.get(_confirm(editor_client, response)["Location"]).content.decode()
    assert "It is still published: readers see the changes now." in page
    assert Section.objects.get(pk=section.pk).body.endswith("A new paragraph.")
    assert Briefing.objects.get(pk=briefing.pk).status == Status.PUBLISHED
    revision = Revision.objects.latest("pk")
    assert (revision.comment, revision.user) == ("Imported from police.md.", editor)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("brief.pdf", b"%PDF", "Choose a .md or .txt file."),
        ("brief.md", b"\xff\xfe bad", "The file is not UTF-8 text"),
        ("brief.md", b"x" * (MAX_UPLOAD_BYTES + 1), "the largest allowed is"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_form_error(editor_client, name, content, message):
    response = editor_client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])


def test_staff_without_the_editors_permissions_cannot_import_or_export(client, db):
    user = User.objects.create_user("staff", password="a-long-password-1", is_staff=True)
    client.force_login(user)
    police = Briefing.objects.get(slug="police")
    assert client.get(IMPORT).status_code == 403
    assert client.post(REVIEW, {"name": "x.md", "text": briefing_file()}).status_code == 403
    assert (
        client.get(reverse("admin:briefings_briefing_export", args=[police.pk])).status_code == 403
    )


def test_the_text_a_browser_sends_back_with_crlf_line_endings_is_the_text_checked(editor_client):
    # A textarea is always submitted with CRLF line endings.
    form = _upload(editor_client, briefing_file()).context["form"]
    response = editor_client.post(
        REVIEW,
        {
            "name": form.initial["name"],
            "text": form.initial["text"].replace("\n", "\r\n"),
            "checked": form.initial["checked"],
            "_confirm": "1",
        },
    )
    assert response.status_code == 302
    assert "\r" not in Briefing.objects.get(slug="youth-workers").sections.first().body
