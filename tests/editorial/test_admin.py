from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils.html import escape

from briefings.models import Briefing, GlossaryTerm, Reference, Role, Section, Theme


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def test_an_editor_creates_a_briefing_with_sections_and_key_messages_and_sees_it_rendered(
    editor_client,
):
    role = Role.objects.get(slug="schools")
    theme = Theme.objects.get(slug="prevention-and-early-intervention")
    data = {
        "title": "Key messages: Professionals in school settings",
        "slug": "schools",
        "kind": "research-briefing",
        "status": "published",
        "audiences": [role.pk],
        "intro": "This briefing paper is for professionals in school settings.",
        "has_reference_list": "on",
        "also_available": "[]",
        "published_year": "2017",
        "published_month": "3",
        **_inline(
            "key_messages",
            [
                {
                    "order": "0",
                    "text": "Schools can help young people *recognise* exploitation.",
                    "key": "recognise",
                    "themes": [theme.pk],
                },
            ],
        ),
        **_inline(
            "sections",
            [
                {
                    "order": "0",
                    "heading": "Prevention in schools",
                    "key": "prevention",
                    "status": "published",
                    "themes": [theme.pk],
                    "body": "Awareness-raising helps.\n\n> “They listened.”\n>\n> — Young person A",
                },
            ],
        ),
        **_inline("citations", []),
    }
    response = editor_client.post(reverse("admin:briefings_briefing_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    briefing = Briefing.objects.get(slug="schools")
    section = briefing.sections.get()
    assert section.slug == "prevention-in-schools"
    assert list(section.themes.all()) == [theme]
    assert section.quotes.get().attribution == "Young person A"

    page = editor_client.get("/documents/schools/").content.decode()
    assert "<em>recognise</em>" in page
    assert '<h2 id="prevention-in-schools">Prevention in schools</h2>' in page
    assert '<figcaption class="quote-attribution">Young person A</figcaption>' in page
    assert "March 2017" in page


def test_the_admin_preview_renders_markdown_as_the_site_does(editor_client):
    url = reverse("admin:briefings_markdown_preview")
    response = editor_client.post(url, {"text": "**bold** <script>alert(1)</script>"})
    assert response.json()["html"] == "<p><strong>bold</strong> </p>"


def test_the_section_change_page_shows_the_rendered_section(editor_client):
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    page = editor_client.get(reverse("admin:briefings_section_change", args=[section.pk]))
    assert page.status_code == 200
    assert '<figure class="quote">' in page.content.decode()


def test_a_signed_in_member_of_the_public_cannot_reach_the_admin(client, db):
    user = User.objects.create_user("reader", password="a-long-reader-password")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(reverse("admin:briefings_briefing_changelist")).status_code == 302


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:briefings_section_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_may_edit_content_but_not_users_or_groups(db):
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert ("briefings", "change_section") in codenames
    assert ("briefings", "add_briefing") in codenames
    assert ("taggit", "change_tag") in codenames
    # Beyond content, only a look at trainers' packs (their own app since issue 15).
    assert {(app, c) for app, c in codenames if app not in {"briefings", "taggit"}} == {
        ("packs", "view_pack"),
        ("packs", "view_packitem"),
    }
    assert not Permission.objects.filter(group=editors, content_type__app_label="auth").exists()


def test_an_editor_cannot_open_the_users_admin(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403


def test_briefing_list_filters_by_status_kind_role_and_theme(editor_client):
    url = reverse("admin:briefings_briefing_changelist")
    theme = Theme.objects.get(slug="trafficking")
    response = editor_client.get(url, {"kind": "factsheet"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = editor_client.get(url, {"sections__themes__id__exact": theme.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2
    response = editor_client.get(url, {"q": "Multi-agency"})
    assert response.context["cl"].result_count >= 1


def test_theme_autocomplete_answers_an_editor(editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "traff",
            "app_label": "briefings",
            "model_name": "section",
            "field_name": "themes",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Trafficking"]


def test_shared_records_are_shown_but_edited_in_the_documents(editor_client):
    """Issue 20: a cited work's fields and a defined term's expansion are derived from the
    documents, so the admin shows them read-only and says where to change them."""
    reference = Reference.objects.filter(citations__briefing__slug="police").first()
    page = editor_client.get(f"/admin/briefings/reference/{reference.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert escape(reference.title) in page.content.decode()
    term = GlossaryTerm.objects.get(term="CSE")
    page = editor_client.get(f"/admin/briefings/glossaryterm/{term.pk}/change/")
    assert 'name="expansion"' not in page.content.decode()
    # A term no document defines is the admin's to edit.
    own = GlossaryTerm.objects.create(term="XYZ", expansion="An editor's term")
    page = editor_client.get(f"/admin/briefings/glossaryterm/{own.pk}/change/")
    assert 'name="expansion"' in page.content.decode()


def test_the_admin_calls_a_briefing_a_document_as_readers_do(editor_client):
    index = editor_client.get("/admin/").content.decode()
    listing = editor_client.get("/admin/briefings/briefing/").content.decode()
    assert ">Documents<" in index
    assert "Briefings" not in index
    assert "Select document to change" in listing
