"""Recovering deleted sections and documents, with the same permanent links as before."""

import re

from django.urls import reverse

from briefings.editorial.selectors import document_versions
from briefings.models import Briefing, KeyMessage, Section
from tests.support.admin_forms import briefing_form, row_index, save_briefing


def _recover_button(page, name):
    """The recover form's action for the item named ``name`` on a revisions or recover page."""
    for action, body in re.findall(
        r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.S
    ):
        if f"<strong>{name}</strong>" in body:
            return action
    raise AssertionError(f"no recover button for {name}")


def _delete_inline_section(client, briefing, section):
    data = briefing_form(client, briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-DELETE"] = "on"
    save_briefing(client, briefing, data)


def test_a_deleted_section_can_be_recovered_with_its_permanent_link_working_again(
    editor_client, client
):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    permalink = f"/s/{section.pk}/"
    assert client.get(permalink).status_code == 302
    quotes = list(section.quotes.values_list("text", flat=True))
    themes = sorted(section.themes.values_list("slug", flat=True))
    _delete_inline_section(editor_client, section.briefing, section)
    assert client.get(permalink).status_code == 404
    assert "Barriers to engagement" not in client.get("/documents/police/").content.decode()

    history = editor_client.get(
        reverse("admin:briefings_briefing_revisions", args=[section.briefing_id])
    ).content.decode()
    response = editor_client.post(_recover_button(history, "Barriers to engagement"))
    assert response.status_code == 302

    response = client.get(permalink)
    assert response.status_code == 302
    assert response["Location"] == f"/documents/police/{section.slug}/"
    page = client.get(response["Location"]).content.decode()
    assert '<h1 id="barriers-to-engagement">Barriers to engagement</h1>' in page
    recovered = Section.objects.get(pk=section.pk)
    assert list(recovered.quotes.values_list("text", flat=True)) == quotes
    assert sorted(recovered.themes.values_list("slug", flat=True)) == themes
    assert "Barriers to engagement" in client.get("/documents/police/").content.decode()


def test_a_section_deleted_on_its_own_page_is_listed_for_recovery_and_comes_back(
    editor_client, client
):
    section = Section.objects.get(briefing__slug="social-workers", order=2)
    delete_url = reverse("admin:briefings_section_delete", args=[section.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Section.objects.filter(pk=section.pk).exists()

    recover_list = editor_client.get(reverse("admin:briefings_briefing_recoverlist"))
    page = recover_list.content.decode()
    assert f"/s/{section.pk}/" in page
    editor_client.post(_recover_button(page, section.heading))

    assert client.get(f"/s/{section.pk}/").status_code == 302
    comments = [v.revision.comment for v in document_versions(section.briefing)]
    assert comments[0] == f"Recovered the deleted section “{section.heading}”."
    assert comments[1] == f"Deleted section “{section.heading}”."


def test_recovering_a_section_brings_back_the_sub_sections_deleted_with_it(editor_client):
    parent = (
        Section.objects.filter(briefing__slug="multi-agency-working", children__isnull=False)
        .distinct()
        .first()
    )
    children = list(parent.children.values_list("pk", flat=True))
    assert children
    _delete_inline_section(editor_client, parent.briefing, parent)
    assert not Section.objects.filter(pk__in=children).exists()

    history = editor_client.get(
        reverse("admin:briefings_briefing_revisions", args=[parent.briefing_id])
    ).content.decode()
    editor_client.post(_recover_button(history, parent.heading))

    assert set(Section.objects.get(pk=parent.pk).children.values_list("pk", flat=True)) == set(
        children
    )


def test_a_deleted_document_can_be_recovered_with_its_sections_and_links(editor_client, client):
    briefing = Briefing.objects.get(slug="social-workers")
    section_ids = set(briefing.sections.values_list("pk", flat=True))
    message = briefing.key_messages.first()
    audiences = set(briefing.audiences.values_list("slug", flat=True))
    delete_url = reverse("admin:briefings_briefing_delete", args=[briefing.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert client.get("/documents/social-workers/").status_code == 404

    page = editor_client.get(reverse("admin:briefings_briefing_recoverlist")).content.decode()
    editor_client.post(_recover_button(page, briefing.title))

    assert client.get("/documents/social-workers/").status_code == 200
    recovered = Briefing.objects.get(pk=briefing.pk)
    assert set(recovered.sections.values_list("pk", flat=True)) == section_ids
    assert set(recovered.audiences.values_list("slug", flat=True)) == audiences
    assert KeyMessage.objects.get(pk=message.pk).text == message.text
    for pk in section_ids:
        assert client.get(f"/s/{pk}/").status_code == 302
    assert client.get(f"/k/{message.pk}/").status_code == 302


def test_a_recovery_that_would_clash_says_why_instead_of_failing(editor_client):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    briefing = section.briefing
    _delete_inline_section(editor_client, briefing, section)
    # Another section takes the deleted one's key and anchor in the meantime.
    data = briefing_form(editor_client, briefing)
    total = int(data["sections-TOTAL_FORMS"])
    data.update(
        {
            "sections-TOTAL_FORMS": str(total + 1),
            f"sections-{total}-order": "50",
            f"sections-{total}-heading": section.heading,
            f"sections-{total}-key": section.key,
            f"sections-{total}-status": "published",
            f"sections-{total}-body": "A replacement.",
        }
    )
    save_briefing(editor_client, briefing, data)
    history = editor_client.get(
        reverse("admin:briefings_briefing_revisions", args=[briefing.pk])
    ).content.decode()

    response = editor_client.post(_recover_button(history, section.heading), follow=True)

    assert response.status_code == 200
    assert "another item now uses the same key or slug" in response.content.decode()
    assert not Section.objects.filter(pk=section.pk).exists()


def test_only_editors_may_recover(client, db):
    response = client.post(reverse("admin:briefings_briefing_recover", args=[1]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_recover_page_is_linked_from_the_document_list(editor_client):
    page = editor_client.get(reverse("admin:briefings_briefing_changelist")).content.decode()
    assert (
        f'<a href="{reverse("admin:briefings_briefing_recoverlist")}">Recover deleted</a>' in page
    )
