"""What the admin's Markdown preview answers: a refusal in words the editor can act on, the
renderer's own reason when it refuses a text, the failure when rendering breaks, and for a text
of a document, that document's citations and broken links (drafts may link to drafts)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.urls import reverse

from briefings.admin import preview
from briefings.markdown import render_markdown
from briefings.models import Briefing, Section, Status

URL = reverse("admin:briefings_markdown_preview")


def test_a_user_who_may_not_change_content_is_told_so(client, db):
    user = User.objects.create_user("viewer", password="a-long-staff-password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_briefing"))
    client.force_login(user)

    response = client.post(URL, {"text": "*words*"})

    assert response.status_code == 403
    assert response.json() == {"error": "You may not change content, so there is no preview."}


def test_an_editor_over_the_limit_is_told_the_preview_resumes(editor_client, monkeypatch):
    monkeypatch.setattr(preview, "allow_preview", lambda user: False)

    response = editor_client.post(URL, {"text": "*words*"})

    assert response.status_code == 429
    assert response.json() == {
        "error": "The preview is paused for a moment (too many in a minute). "
        "Keep typing: it resumes shortly."
    }


def test_a_post_without_text_previews_nothing(editor_client):
    response = editor_client.post(URL, {})

    assert response.status_code == 200
    assert response.json() == {"html": "", "problems": []}


@pytest.mark.parametrize("nesting", [">" * 200 + " deep", "- " * 60 + "deep"])
def test_text_the_renderer_refuses_is_answered_with_the_renderers_reason(editor_client, nesting):
    with pytest.raises(ValidationError) as refused:
        render_markdown(nesting)

    response = editor_client.post(URL, {"text": nesting})

    assert response.status_code == 400
    assert response.json() == {"error": " ".join(refused.value.messages)}


def test_a_failure_while_rendering_is_shown_to_the_editor_not_a_server_error(
    editor_client, monkeypatch
):
    def broken(text, resolver=None):
        raise RuntimeError("the parser fell over")

    monkeypatch.setattr(preview, "render_markdown", broken)

    response = editor_client.post(URL, {"text": "*words*"})

    assert response.status_code == 400
    assert response.json() == {"error": "No preview: the parser fell over"}


def _draft_section(slug):
    section = Section.objects.filter(briefing__slug=slug, parent=None).order_by("order").first()
    Section.objects.filter(pk=section.pk).update(status=Status.DRAFT)
    return section


def test_a_published_documents_text_may_not_link_to_a_draft_section(editor_client):
    police = Briefing.objects.get(slug="police")
    draft = _draft_section("police")
    text = f"See [the draft]({draft.get_absolute_url()})."

    answer = editor_client.post(URL, {"text": text, "document": str(police.pk)}).json()

    assert len(answer["problems"]) == 1
    assert f"The link “{draft.get_absolute_url()}” is broken" in answer["problems"][0]
    assert f'<a class="broken-link" href="{draft.get_absolute_url()}"' in answer["html"]


def test_a_draft_documents_text_may_link_to_a_draft_section(editor_client):
    Briefing.objects.filter(slug="police").update(status=Status.DRAFT)
    police = Briefing.objects.get(slug="police")
    draft = _draft_section("police")
    text = f"See [the draft]({draft.get_absolute_url()})."

    answer = editor_client.post(URL, {"text": text, "document": str(police.pk)}).json()

    assert answer["problems"] == []
    assert f'<a href="{draft.get_absolute_url()}"' in answer["html"]


def test_a_document_that_is_not_a_number_is_no_document(editor_client):
    text = "Unknown [Smith, 2099](cite:smith-2099)."

    answer = editor_client.post(URL, {"text": text, "document": "police"}).json()

    # Without a document there are no references to check the citation against.
    assert answer["problems"] == []
    assert '<span class="citation-unresolved">Smith, 2099</span>' in answer["html"]


def test_a_documents_own_citations_and_relative_links_resolve_in_its_preview(editor_client):
    police = Briefing.objects.get(slug="police")
    citation = police.citations.order_by("local_key").first()
    section = Section.objects.filter(briefing=police, parent=None).order_by("order").first()
    text = f"As [{citation.label}](cite:{citation.local_key}) says; see [there]({section.slug}/)."

    answer = editor_client.post(URL, {"text": text, "document": str(police.pk)}).json()

    assert answer["problems"] == []
    assert '<a class="citation" href="' in answer["html"]
    assert "citation-unresolved" not in answer["html"]
