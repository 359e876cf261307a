"""The admin's Markdown preview in a real browser: nothing is rendered again when a page opens;
typing shows the text as it will appear, with the keyboard alone, on a phone and a desktop."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from briefings.models import Section
from tests.support.axe import AXE_OPTIONS

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"
PREVIEW_PATH = "/admin/briefings/briefing/preview/"


def _sign_in(page, url, next_path):
    page.goto(f"{url}/admin/login/?next={next_path}")
    page.fill("#id_username", "preview-editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("width", [375, 1280])
def test_typing_shows_the_preview_and_opening_the_page_renders_nothing(live_portal, page, width):
    editor = User.objects.create_user("preview-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    section = Section.objects.get(briefing__slug="police", key="barriers-to-engagement")
    path = f"/admin/briefings/section/{section.pk}/change/"
    page.set_viewport_size({"width": width, "height": 900})
    previews = []
    page.on("request", lambda r: previews.append(r) if PREVIEW_PATH in r.url else None)

    _sign_in(page, live_portal.url, path)
    page.wait_for_load_state("networkidle")
    assert previews == []  # opening the page asks for no rendering
    preview = page.locator(".markdown-preview")
    expect(preview).to_be_hidden()

    # Keyboard only: Tab to the body, go to its end and type.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_body":
            break
    else:
        raise AssertionError("Tab never reached the body")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nOfficers should **always** record it.")

    # Drawn in a frame with the site's own stylesheet.
    frame = page.frame_locator(".markdown-preview iframe")
    expect(frame.locator("strong", has_text="always")).to_be_visible()
    expect(frame.locator("body")).to_contain_text("Officers should always record it.")
    assert 1 <= len(previews) <= 3  # one after the pause in typing, not one per key
    results = Axe().run(page, context=".markdown-preview", options=AXE_OPTIONS)
    assert results.response["violations"] == []
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        preview.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / f"admin-preview-{width}.png"), full_page=False)
