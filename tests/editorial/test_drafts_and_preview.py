"""Drafts are invisible to readers everywhere, yet editors preview them exactly as they will be."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from briefings.models import Briefing, KeyMessage, Section, Status
from tests.support.admin_forms import briefing_form, row_index, save_briefing


def _exists(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _surfaces(client, briefing, section):
    """Every public page that can show or link to a document or section, as (name, url)."""
    urls = [
        ("home", "/"),
        ("documents", "/documents/"),
        ("role", f"/roles/{briefing.audiences.first().slug}/"),
        ("themes", "/themes/"),
        ("references", "/references/"),
        ("feed", "/feed/"),
    ]
    for theme in section.themes.all():
        urls.append((f"theme {theme.slug}", theme.get_absolute_url()))
        urls.append((f"compare {theme.slug}", f"{theme.get_absolute_url()}compare/"))
    # Section pages of other documents that list this section among their related links.
    for other in Section.objects.published().exclude(briefing=briefing)[:60]:
        page = client.get(other.get_absolute_url()).content.decode()
        if section.get_absolute_url() in page:
            urls.append(("related links", other.get_absolute_url()))
            break
    if _exists("/sitemap.xml"):
        urls.append(("sitemap", "/sitemap.xml"))
    if _exists("/search/"):
        urls.append(("search", f"/search/?q={section.heading.split()[0]}"))
    return urls


def _pages(client, urls):
    pages = {}
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        pages[name, url] = response.content.decode()
    return pages


def _return_to_draft(editor_client, briefing):
    changelist = reverse("admin:briefings_briefing_changelist")
    response = editor_client.post(
        changelist, {"action": "return_to_draft", "_selected_action": [briefing.pk]}
    )
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == Status.DRAFT


def _set_section_status(editor_client, section, status):
    data = briefing_form(editor_client, section.briefing)
    data[f"sections-{row_index(data, 'sections', 'id', section.pk)}-status"] = status
    save_briefing(editor_client, section.briefing, data)


def test_a_draft_document_is_absent_from_every_public_surface_yet_previewable(
    editor_client, client
):
    briefing = Briefing.objects.get(slug="police")
    section = briefing.sections.get(key="barriers-to-engagement")
    message = briefing.key_messages.first()
    surfaces = _surfaces(client, briefing, section)
    assert "related links" in {name for name, _ in surfaces}
    before = _pages(client, surfaces)
    for where, page in before.items():
        assert "/documents/police/" in page, f"{where} should show the document while published"

    _return_to_draft(editor_client, briefing)

    for where, page in _pages(client, surfaces).items():
        assert "/documents/police/" not in page, f"{where} still shows the draft"
        assert briefing.title not in page, f"{where} still names the draft"
    assert message.text[:60] not in client.get("/roles/police/").content.decode()
    for url in [
        "/documents/police/",
        section.get_absolute_url(),
        section.get_permalink(),
        message.get_permalink(),
    ]:
        assert client.get(url).status_code == 404, url

    preview = editor_client.get("/preview/documents/police/")
    assert preview.status_code == 200
    page = preview.content.decode()
    assert '<strong class="preview-label">Preview</strong>' in page
    assert "This document is a draft: readers cannot see it yet." in page
    assert f"<h1>{briefing.title}</h1>" in page
    assert f'<h2 id="{section.slug}">{section.heading}</h2>' in page
    _assert_private(preview)
    # Within the preview, the document's own links stay in the preview.
    assert f'href="/preview/documents/police/{section.slug}/"' in page
    section_preview = editor_client.get(f"/preview/documents/police/{section.slug}/")
    assert section_preview.status_code == 200
    _assert_private(section_preview)


def test_a_draft_section_is_absent_from_every_public_surface_yet_previewable(editor_client, client):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    url = section.get_absolute_url()
    surfaces = [("document", "/documents/police/"), *_surfaces(client, section.briefing, section)]
    surfaces = [
        (n, u) for n, u in surfaces if n not in {"documents", "home", "feed", "role", "themes"}
    ]
    before = _pages(client, surfaces)
    for where, page in before.items():
        assert url in page or f'id="{section.slug}"' in page, f"{where} should show the section"

    _set_section_status(editor_client, section, Status.DRAFT)

    for where, page in _pages(client, surfaces).items():
        assert url not in page, f"{where} still links to the draft section"
        assert f'id="{section.slug}"' not in page, f"{where} still shows the draft section"
        assert f'href="#{section.slug}"' not in page, f"{where} still lists the draft section"
    assert client.get(url).status_code == 404
    assert client.get(section.get_permalink()).status_code == 404

    page = editor_client.get("/preview/documents/police/").content.decode()
    assert f'<h2 id="{section.slug}">{section.heading}</h2>' in page
    assert '<p class="preview-draft">Draft section: hidden from readers</p>' in page
    assert (
        "This section is a draft"
        in editor_client.get(f"/preview/documents/police/{section.slug}/").content.decode()
    )


def _assert_private(response):
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not response.has_header("ETag")


def test_the_preview_is_the_public_page_plus_a_banner(editor_client):
    public = editor_client.get("/documents/police/?role=police").content.decode()
    preview = editor_client.get("/preview/documents/police/?role=police").content.decode()

    def article(page):
        return re.search(r'<article class="document".*?</article>', page, re.S).group(0)

    assert article(preview).replace("/preview/documents/", "/documents/") == article(public)
    assert "This document is published." in preview


def test_readers_cannot_open_a_preview(client, db):
    assert client.get("/preview/documents/police/").status_code == 302
    reader = User.objects.create_user("reader", password="a-long-reader-password")
    client.force_login(reader)
    response = client.get("/preview/documents/police/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_content_permissions_cannot_open_a_preview(client, db):
    staff = User.objects.create_user("staff", password="a-long-staff-password", is_staff=True)
    client.force_login(staff)
    assert client.get("/preview/documents/police/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_briefing"))
    client.force_login(User.objects.get(pk=staff.pk))
    assert client.get("/preview/documents/police/").status_code == 200


def test_the_admin_links_to_the_preview_and_publishing_is_one_action(editor_client, client):
    briefing = Briefing.objects.get(slug="police")
    _return_to_draft(editor_client, briefing)
    change = editor_client.get(reverse("admin:briefings_briefing_change", args=[briefing.pk]))
    assert '<a href="/preview/documents/police/">View preview</a>' in change.content.decode()
    assert client.get("/documents/police/").status_code == 404

    editor_client.post(
        reverse("admin:briefings_briefing_changelist"),
        {"action": "publish_selected", "_selected_action": [briefing.pk]},
    )

    assert client.get("/documents/police/").status_code == 200


@pytest.mark.parametrize(
    ("offset", "visible"),
    [(datetime.timedelta(days=-1), True), (datetime.timedelta(days=1), False)],
)
def test_publish_from_is_applied_when_the_page_is_read(editor_client, client, offset, visible):
    briefing = Briefing.objects.get(slug="police")
    data = briefing_form(editor_client, briefing)
    moment = timezone.localtime() + offset
    data["publish_from_0"] = moment.strftime("%Y-%m-%d")
    data["publish_from_1"] = moment.strftime("%H:%M:%S")
    save_briefing(editor_client, briefing, data)

    assert client.get("/documents/police/").status_code == (200 if visible else 404)
    assert (
        Briefing.objects.published(now=moment + datetime.timedelta(seconds=1))
        .filter(pk=briefing.pk)
        .exists()
    )
    preview = editor_client.get("/preview/documents/police/").content.decode()
    if not visible:
        assert "readers will see it from the publish date" in preview


def test_sub_sections_of_a_draft_section_are_hidden_with_it(editor_client, client):
    parent = (
        Section.objects.filter(briefing__slug="multi-agency-working", children__isnull=False)
        .distinct()
        .first()
    )
    child = parent.children.first()
    _set_section_status(editor_client, parent, Status.DRAFT)
    assert child.status == Status.PUBLISHED
    assert not Section.objects.published().filter(pk=child.pk).exists()
    assert client.get(child.get_permalink()).status_code == 404
    assert (
        f'id="{child.slug}"' not in client.get(parent.briefing.get_absolute_url()).content.decode()
    )


def test_key_messages_of_a_draft_document_are_not_published(editor_client):
    briefing = Briefing.objects.get(slug="police")
    _return_to_draft(editor_client, briefing)
    assert not KeyMessage.objects.published().filter(briefing=briefing).exists()
    assert not Section.objects.published().filter(briefing=briefing).exists()
