"""The search page in a real Chromium: axe-core clean (WCAG 2.2 AA) in each of its states, usable
at 320 px, and a search can be made and a result opened with the keyboard alone."""

import pytest

from tests.support.axe import axe_violations
from tests.support.search import outcome_of

pytestmark = pytest.mark.browser

STATES = [
    "/search/",
    "/search/?q=missing",
    "/search/?q=missing&role=police&page=2",
    "/search/?q=missing&kind=section&theme=going-missing&group=document",
    "/search/?q=vulnerabilty+indicaters",
    "/search/?q=xylophone&role=police",
    "/search/?q=-police",
    "/search/?q=%22",
]


def test_every_state_of_the_search_page_passes_axe(live_portal, page):
    failures = {}
    for path in STATES:
        response = page.goto(live_portal.url + path)
        assert response.status == 200, path
        problems = axe_violations(page)
        if problems:
            failures[path] = problems
    assert failures == {}


def test_a_search_beyond_the_exact_limit_passes_axe(live_portal, page, settings):
    # The live server runs in this process, so the lowered limit reaches it.
    settings.SEARCH_EXACT_LIMIT = 10
    response = page.goto(live_portal.url + "/search/?q=young&role=police")
    assert response.status == 200
    assert "More than 10 results" in page.content()
    assert axe_violations(page) == []


def test_results_and_filters_fit_a_320_pixel_screen(live_portal, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(live_portal.url + "/search/?q=missing&role=police")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert axe_violations(page) == []
    finally:
        context.close()


def test_a_search_is_made_and_a_result_opened_with_the_keyboard(live_portal, page):
    page.goto(live_portal.url + "/search/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    else:
        raise AssertionError("the search field is not reachable with Tab")
    page.keyboard.type("victimless prosecutions")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The count the search itself gives for these words, written as the page writes it.
    found = outcome_of(q="victimless prosecutions")
    assert 0 < found.total < 1000
    assert not found.capped
    count = f"{found.total} result{'' if found.total == 1 else 's'}"
    expected = f"{count.capitalize()} for “victimless prosecutions” · Search · CSE guidance portal"
    assert page.title() == expected
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.result-title')"):
            break
    else:
        raise AssertionError("no result link is reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/documents/police/investigating-cse/")


def test_the_search_page_works_with_javascript_switched_off(live_portal, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_portal.url + "/search/")
        page.fill("#search-q", "CAMHS")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.locator("#results-heading").inner_text().endswith("results")
        # Without JavaScript the filters stay a closed "Filters" disclosure until opened.
        assert not page.locator("text=Glossary terms").is_visible()
        page.click(".search-filters > summary")
        page.click("text=Glossary terms")
        assert page.locator(".search-result").count() == 1
    finally:
        context.close()
