"""The search page in a real Chromium: axe-core clean (WCAG 2.2 AA) in each of its states, usable
at 320 px, and a search can be made and a result opened with the keyboard alone."""

import os
import re
from pathlib import Path

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


@pytest.fixture(params=[375, 1280])
def capped(request, live_portal, browser, settings):
    """A phone or a desk, with the exact limit lowered to 10 in the live server (it runs in
    this process), as a collection large enough to cap a search would make it."""
    settings.SEARCH_EXACT_LIMIT = 10
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
    yield page, request.param < 600
    context.close()


def open_filters_if_phone(page, phone):
    """On a phone the filters are a closed "Filters" disclosure above the results."""
    if phone:
        assert not page.locator(".facet").first.is_visible()
        page.locator(".search-filters > summary").click()


def finish(page, name):
    """A screenshot to look at (PORTAL_SCREENSHOTS) and the axe-core audit."""
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
    assert axe_violations(page) == []


def test_a_reader_narrows_a_search_beyond_the_limit_to_one_kind_and_sees_its_exact_count(
    live_portal, capped
):
    # "police" is over the limit, its key messages are within it.
    page, phone = capped
    page.goto(live_portal.url + "/search/")
    page.fill("#search-q", "police")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#results-heading").inner_text().startswith("More than 10 results")
    open_filters_if_phone(page, phone)
    kind = page.locator(".facet", has=page.get_by_role("heading", name="Kind of result"))
    # Before choosing, every kind's count is a lower bound: "5+" on the screen, "at least 5
    # results" to a screen reader.
    messages = kind.get_by_role(
        "link", name=re.compile(r"^Key messages \(\s*at least\s*\d+\s*results?\s*\)$")
    )
    assert messages.locator("[aria-hidden=true]", has_text="+").is_visible()
    messages.click()
    page.wait_for_url(re.compile(r"kind=key-message"))
    heading = page.locator("#results-heading").inner_text()
    total = int(re.match(r"(\d+) results?\b", heading).group(1))
    assert 0 < total <= 10
    assert page.locator(".search-result").count() == total
    # The chosen kind counts the results shown, exactly; the others stay lower bounds.
    open_filters_if_phone(page, phone)
    kind = page.locator(".facet", has=page.get_by_role("heading", name="Kind of result"))
    chosen = kind.locator("strong[aria-current=true]", has_text="Key messages")
    assert chosen.is_visible()
    assert " ".join(chosen.text_content().split()) == f"Key messages ({total} results)"
    others = kind.get_by_role("link", name=re.compile(r"\(\s*at least\s*\d+"))
    assert others.count() >= 1
    finish(page, "capped-kind")


def test_a_reader_chooses_a_profession_beyond_the_limit_and_sees_it_chosen_with_the_pages_count(
    live_portal, capped
):
    # "police" is over the limit, and so is police guidance alone: the chosen profession
    # counts as the page does, "more than 10", and stays listed as chosen.
    page, phone = capped
    page.goto(live_portal.url + "/search/?q=police")
    open_filters_if_phone(page, phone)
    professions = page.locator(".facet", has=page.get_by_role("heading", name="Guidance for"))
    professions.get_by_role("link", name=re.compile(r"^Police \(")).click()
    page.wait_for_url(re.compile(r"audience=police"))
    assert page.locator("#results-heading").inner_text().startswith("More than 10 results")
    open_filters_if_phone(page, phone)
    professions = page.locator(".facet", has=page.get_by_role("heading", name="Guidance for"))
    chosen = professions.locator("strong[aria-current=true]", has_text="Police")
    assert chosen.is_visible()
    assert " ".join(chosen.text_content().split()) == "Police (at least 10+ results)"
    assert chosen.locator("[aria-hidden=true]", has_text="+").is_visible()
    chip = page.get_by_role("link", name=re.compile(r"Remove the filter\s*Guidance for: Police"))
    assert chip.is_visible()
    finish(page, "capped-role")
