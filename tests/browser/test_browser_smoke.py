"""The browser harness itself: Debian Chromium, driven by Playwright, against the live portal."""

import pytest

pytestmark = pytest.mark.browser


def test_the_home_page_renders_in_a_real_browser(live_portal, page):
    page.goto(live_portal.url + "/")
    assert page.title().startswith("Research guidance on child sexual exploitation")
    assert page.locator("a", has_text="Police officer").count() == 1
