"""The 429 page in a real Chromium, at a phone's width and a desktop's: a reader who searches too
often is told plainly when to try again, the page passes axe-core, fits the screen, and the way
back to reading works with the keyboard alone."""

import os
from pathlib import Path

import pytest

from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser


def search_with_the_keyboard(page, words):
    page.locator("#search-q").focus()
    page.keyboard.type(words)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


@pytest.mark.parametrize("width", [375, 1280])
def test_a_reader_over_the_search_limit_is_told_when_to_try_again(
    live_portal, browser, settings, width
):
    # The live server runs in this process, so the lowered limit reaches it.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_portal.url + "/search/")
        assert search_with_the_keyboard(page, "grooming").status == 200
        page.goto(live_portal.url + "/search/")
        assert search_with_the_keyboard(page, "consent").status == 200
        page.goto(live_portal.url + "/search/")
        refused = search_with_the_keyboard(page, "missing from home")

        assert refused.status == 429
        wait = int(refused.headers["retry-after"])
        assert 0 < wait <= 120
        assert page.locator("h1").inner_text() == "Please wait a moment"
        assert f"Please try again in {wait} second" in page.locator("main").inner_text()
        assert axe_violations(page) == []
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        if os.environ.get("PORTAL_SCREENSHOTS"):
            folder = Path(os.environ["PORTAL_SCREENSHOTS"])
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"429-{width}.png", full_page=True)

        # Reading is not limited: back to the documents with the keyboard.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Browse all documents":
                break
        else:
            raise AssertionError("Tab never reached the link to the documents")
        with page.expect_navigation() as navigation:
            page.keyboard.press("Enter")
        assert navigation.value.status == 200
        assert page.url.endswith("/documents/")
    finally:
        context.close()
