"""A reader follows a series from one document to another and on to a shared work, by keyboard,
on a phone and a desktop screen (issue 20): each document lists its series as it prints it, and
the references index shows the work as the earliest-published document gives it."""

import pytest

from briefings.models import Briefing
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]


def tab_to(page, name, limit=300):
    """Press Tab until the link called ``name`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"no link {name!r} reached by keyboard")


def series_titles(page):
    return [text.split(" (")[0] for text in page.locator("section.series li").all_inner_texts()]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["375", "1280"])
def test_a_reader_follows_the_series_and_a_shared_work_by_keyboard(
    live_portal, page, viewport, tmp_path
):
    page.set_viewport_size(viewport)
    base = live_portal.url
    health = Briefing.objects.get(slug="commissioning-health-care-services")
    police = Briefing.objects.get(slug="police")

    page.goto(f"{base}/documents/{health.slug}/")
    assert axe_violations(page) == []
    if viewport["width"] < 960:
        # On a phone the contents are folded into a disclosure: open it by keyboard first.
        tab_to(page, "Contents")
        page.keyboard.press("Enter")
    tab_to(page, "Also in this series")
    page.keyboard.press("Enter")
    assert page.url.endswith("#series")
    assert series_titles(page) == [health.series_title, *health.also_available]
    page.locator("section.series").screenshot(
        path=tmp_path / f"health-series-{viewport['width']}.png"
    )

    # On to the police document, from the series list, by keyboard.
    page.locator("section.series a", has_text="Police").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/documents/police/")
    assert axe_violations(page) == []
    # The police document lists the same series in its own order.
    assert series_titles(page) == [police.series_title, *police.also_available]
    assert series_titles(page) != [health.series_title, *health.also_available]
    page.locator("section.series").screenshot(
        path=tmp_path / f"police-series-{viewport['width']}.png"
    )

    # The shared work: as police (January 2017, the earliest) gives it, on the references index.
    page.goto(f"{base}/references/")
    assert axe_violations(page) == []
    entry = page.locator("li[id^='ref-beckett-2011-not-a-world-away']")
    assert "Barnardo's: Belfast" in entry.inner_text()
    entry.screenshot(path=tmp_path / f"reference-{viewport['width']}.png")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
