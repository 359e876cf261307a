"""The reader-facing parts of the editorial workflow in a real browser: axe-clean, keyboard-usable.

A document page with "Updates to this page", and an editor's preview of a draft with its banner.
"""

import pytest
from django.contrib.auth.models import Group, User

from briefings.models import Briefing, ChangeNote, Section, Status
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"


def test_a_document_with_updates_passes_axe_and_its_updates_are_reachable(live_portal, page):
    briefing = Briefing.objects.get(slug="police")
    ChangeNote.objects.create(briefing=briefing, note="Added advice on recording contact.")
    page.goto(live_portal.url + "/documents/police/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Updates to this page").click()
    assert page.url.endswith("#updates")
    assert page.locator("#updates").is_visible()
    assert page.get_by_text("Added advice on recording contact.").is_visible()


def test_an_editors_preview_of_a_draft_passes_axe(live_portal, page):
    briefing = Briefing.objects.get(slug="police")
    briefing.status = Status.DRAFT
    briefing.save()
    section = Section.objects.get(briefing=briefing, key="barriers-to-engagement")
    editor = User.objects.create_user("browser-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))

    page.goto(f"{live_portal.url}/admin/login/?next=/preview/documents/police/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/preview/documents/police/")
    banner = page.get_by_role("region", name="Preview")
    assert banner.is_visible()
    assert "readers cannot see it yet" in banner.inner_text()
    assert axe_violations(page) == []
    page.goto(f"{live_portal.url}/preview/documents/police/{section.slug}/")
    assert axe_violations(page) == []
