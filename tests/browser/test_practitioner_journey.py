"""A practitioner's journey in a real Chromium, on a phone (375 px) and a desk (1280 px): choose a
role, read the key messages, open a section, follow its theme to other professions' guidance,
compare them side by side, search as that role and print. Each step checks what a person sees:
where things are on the screen, whether they show, how big they are; and every page on the way is
axe-clean (WCAG 2.2 AA, target size included)."""

import datetime
import re

import pytest

from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 375, "height": 667}, "desk": {"width": 1280, "height": 800}}


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser):
    context = browser.new_context(viewport=SCREENS[request.param])
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
    yield page, request.param == "phone"
    context.close()


def named(text):
    """An accessible name as the reader hears it; a visually hidden part (position: absolute)
    may come with spaces of its own around it."""
    return re.compile("^" + r"\s*".join(re.escape(c) for c in text.replace(" ", "")) + "$")


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on the screen"
    return found


def assert_clean(page):
    assert axe_violations(page) == [], page.url


def open_menu_if_phone(page, phone):
    """On a phone the main navigation sits behind "Menu"; on a desk it is always shown."""
    nav_link = page.locator(".site-menu nav a", has_text="Search")
    if phone:
        assert not nav_link.is_visible()
        page.click(".site-menu > summary")
    assert nav_link.is_visible()


def check_header(page, phone):
    header = box(page.locator(".site-header"))
    if phone:
        # One row for the name and "Menu", one line for "Viewing as": under 100 px in all.
        assert header["height"] <= 100, header
        menu = box(page.locator(".site-menu > summary"))
        assert menu["width"] >= 44, menu
        assert menu["height"] >= 44, menu
    else:
        assert not page.locator(".site-menu > summary").is_visible()
        links = page.locator(".site-menu nav a")
        assert links.count() == 5
        tops = {round(box(links.nth(i))["y"]) for i in range(5)}
        assert len(tops) == 1, "the navigation is one row on a desk"


def check_breadcrumbs(page):
    """Each "›" sits on the same line as the crumb it leads to: none is left hanging."""
    misplaced = page.evaluate(
        """() => [...document.querySelectorAll('.breadcrumbs li + li')].filter(li => {
            const text = [...li.childNodes].find(n => n.textContent.trim());
            const range = document.createRange();
            range.selectNodeContents(text);
            const first = range.getClientRects()[0];
            return Math.abs(first.top - li.getClientRects()[0].top) > 2;
        }).map(li => li.textContent)"""
    )
    assert misplaced == []


def choose_role_and_read_key_messages(page, base, phone):
    page.goto(base + "/")
    check_header(page, phone)
    page.get_by_role("link", name="Police officer").click()
    page.wait_for_url("**/roles/police/")
    assert page.get_by_text("Viewing as: Police").is_visible()
    first = page.locator("#km-heading ~ ol li").first
    assert "Exploitation can happen to young people from all backgrounds." in first.inner_text()
    assert_clean(page)
    first.get_by_role("link", name=re.compile("^In context")).click()
    page.wait_for_url("**/documents/police/?role=police#km-*")
    message = page.locator("#" + page.url.split("#")[1])
    top = box(message)["y"]
    assert 0 <= top < SCREENS["phone" if phone else "desk"]["height"] / 2
    assert_clean(page)


def open_a_section(page, phone):
    contents = page.locator("#contents")
    link = contents.get_by_role("link", name="Barriers to engagement")
    if phone:
        assert not link.is_visible(), "the contents are folded away on a phone"
        page.click("#contents > summary")
    assert link.is_visible()
    link.click()
    assert page.url.endswith("#barriers-to-engagement")
    page.get_by_role("link", name=named("Open on its own page: Barriers to engagement")).click()
    page.wait_for_url("**/documents/police/barriers-to-engagement/?role=police")


def read_the_section(page, phone):
    height = SCREENS["phone" if phone else "desk"]["height"]
    heading = box(page.locator("h1"))
    assert heading["y"] + heading["height"] < height / 2, "the heading is on the first screen"
    contents = page.locator("#contents ol")
    if phone:
        assert not contents.is_visible()
    else:
        assert contents.is_visible()
        assert box(contents)["x"] < heading["x"], "the contents sit beside the text"
    check_breadcrumbs(page)
    for control in [
        page.get_by_role("link", name=named("Copy link to “Barriers to engagement”")),
        page.get_by_role("button", name=named("Print this section")),
    ]:
        size = box(control)
        assert size["width"] >= 24, size
        assert size["height"] >= 24, size
    meta = page.locator(".section-meta").inner_text()
    assert "Last updated" in meta
    assert "Last reviewed" in meta
    assert page.locator(".section-meta").is_visible()
    assert_clean(page)


def preview_a_citation(page):
    citation = page.locator(".prose a.citation").first
    label = citation.inner_text()
    url = page.url
    citation.click()
    popover = page.locator(".citation-popover")
    assert popover.is_visible()
    entry = page.locator(".reference-list li", has_text=label.split(",")[0]).first.inner_text()
    assert entry.split(")")[0] in popover.inner_text()  # the printed entry, in full
    assert page.url == url, "the reader stays on the section"
    assert box(popover)["x"] >= 0
    assert box(popover)["x"] + box(popover)["width"] <= page.viewport_size["width"]
    assert_clean(page)
    page.keyboard.press("Escape")
    assert not popover.is_visible()
    assert page.evaluate("document.activeElement.textContent") == label


def follow_the_theme_to_other_professions(page):
    page.locator(".section-themes").get_by_role("link", name="Barriers to disclosure").click()
    page.wait_for_url("**/themes/barriers-to-disclosure/?role=police")
    own = box(page.get_by_role("heading", name=named("Guidance for police your role")))
    others = page.get_by_text("What other professions’ guidance says", exact=True)
    social = box(page.get_by_role("heading", name="Guidance for social workers"))
    assert own["y"] < box(others)["y"] < social["y"]
    social_doc = page.locator("#guidance-social-workers").get_by_role(
        "link", name="Social workers", exact=True
    )
    assert social_doc.is_visible()
    assert page.get_by_text("Viewing as: Police").is_visible()
    assert_clean(page)
    # Another profession's passage opens, and the reader is still viewing as police.
    page.locator("#guidance-social-workers").get_by_role(
        "link", name="An invitation to tell"
    ).click()
    page.wait_for_url("**/documents/social-workers/an-invitation-to-tell/?role=police")
    assert page.get_by_text("Viewing as: Police").is_visible()
    page.go_back()
    page.wait_for_url("**/themes/barriers-to-disclosure/?role=police")


def compare_side_by_side(page, phone):
    width = box(page.locator("main .wrap"))["width"]
    page.get_by_role("link", name=re.compile("^Compare each profession")).click()
    page.wait_for_url("**/themes/barriers-to-disclosure/compare/?role=police")
    assert box(page.locator("main .wrap"))["width"] == width, "the same width as other pages"
    columns = [
        box(page.locator(".compare-column", has=page.get_by_role("heading", name=name)))
        for name in [
            named("Guidance for police your role"),
            "Guidance for social workers",
            "Guidance for multi-agency coordinators",
            "Guidance for health commissioners",
        ]
    ]
    if phone:
        assert len({round(c["x"]) for c in columns}) == 1, "one profession after another"
        assert [c["y"] for c in columns] == sorted(c["y"] for c in columns)
    else:
        assert len({round(c["y"]) for c in columns}) == 1, "side by side"
        assert [c["x"] for c in columns] == sorted(c["x"] for c in columns)
        assert all(c["width"] >= 200 for c in columns), columns
    none_yet = page.get_by_text("No guidance for health commissioners carries this theme yet.")
    assert none_yet.is_visible()
    police = page.locator("#guidance-police")
    assert police.get_by_role("link", name="Barriers to engagement").is_visible()
    assert police.get_by_text("Sexually exploited young people rarely approach").is_visible()
    assert page.locator("h3#doc-cse-factsheet").count() == 1
    assert_clean(page)


def search_as_the_role(page, base, phone):
    open_menu_if_phone(page, phone)
    page.locator(".site-menu nav").get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/?role=police")
    page.fill("#search-q", "what to do if a young person goes missing")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The role is an emphasis: no filter is in force, police guidance comes first, then the
    # other professions', each under its own heading, and the theme is offered.
    filters = page.locator(".search-filters > summary")
    assert filters.inner_text() == "Filters"
    own = box(page.get_by_role("heading", name="In guidance for police"))
    others = box(page.get_by_role("heading", name="In other professions’ guidance"))
    assert own["y"] < others["y"]
    assert page.get_by_text("Guidance for social workers").first.is_visible()
    assert page.get_by_role("link", name="the Going missing theme").is_visible()
    results = box(page.locator("#results-heading"))
    if phone:
        assert box(filters)["y"] < results["y"], "the filters come before the results"
        assert results["y"] < 667 * 1.5
        assert not page.locator(".facet").first.is_visible()
        filters.click()
    assert_clean(page)
    # One profession only: an explicit filter, named and removable, the role kept.
    facet = page.locator(".facet", has=page.get_by_role("heading", name="Guidance for"))
    facet.get_by_role("link", name=re.compile(r"^Social workers")).click()
    page.wait_for_url(re.compile(r"audience=social-workers"))
    remove = page.get_by_role("link", name=named("Remove the filter Guidance for: Social workers"))
    assert box(remove)["y"] < box(page.locator("#results-heading"))["y"]
    assert box(page.locator(".filter-chip"))["height"] >= 24
    assert page.locator(".search-filters > summary").inner_text().startswith("Filters (1")
    assert not page.get_by_role("heading", name="In guidance for police").count()
    assert_clean(page)
    remove.click()
    page.wait_for_url(re.compile(r"/search/\?q=[^&]+&role=police$"))
    assert page.locator(".search-filters > summary").inner_text() == "Filters"


def print_preview(page, base):
    page.goto(base + "/documents/police/?role=police")
    button = page.get_by_role("button", name="Print this page")
    assert button.is_visible()
    assert not page.get_by_text("use your browser’s Print command").is_visible()
    page.emulate_media(media="print")
    for hidden in [".site-header", "nav.contents", ".doc-tools", ".back-to-top", ".breadcrumbs"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    references = page.locator("#references")
    footer = page.locator(".print-footer")
    assert references.is_visible()
    assert footer.is_visible()
    assert box(references)["y"] < box(footer)["y"]
    today = datetime.date.today()
    text = footer.inner_text()
    assert f"{base}/documents/police/" in text
    assert f"{today.day} {today:%B %Y}" in text
    page.emulate_media(media="screen")
    page.goto(base + "/documents/police/barriers-to-engagement/")
    page.emulate_media(media="print")
    assert page.get_by_role("heading", name="References cited in this section").is_visible()
    assert re.search(rf"{re.escape(base)}/s/\d+/", page.locator(".print-footer").inner_text())
    page.emulate_media(media="screen")


def test_a_practitioner_follows_guidance_across_professions(live_portal, screen):
    page, phone = screen
    base = live_portal.url
    choose_role_and_read_key_messages(page, base, phone)
    open_a_section(page, phone)
    read_the_section(page, phone)
    preview_a_citation(page)
    follow_the_theme_to_other_professions(page)
    compare_side_by_side(page, phone)
    search_as_the_role(page, base, phone)
    print_preview(page, base)


def test_a_long_page_keeps_a_way_back_to_the_top_in_reach(live_portal, screen):
    page, _ = screen
    page.goto(live_portal.url + "/documents/police/")
    back = page.get_by_role("link", name="Back to top")
    assert not back.is_visible(), "not needed on the first screen"
    height = page.viewport_size["height"]
    for fraction in (0.3, 0.6, 0.9):
        page.evaluate(f"window.scrollTo(0, document.body.scrollHeight * {fraction})")
        page.wait_for_function("!document.querySelector('[data-back-to-top]').matches('.at-top')")
        place = box(back)
        assert place["y"] > 0, (fraction, place)
        assert place["y"] + place["height"] <= height, (fraction, place)
        assert place["height"] >= 44
    back.click()
    page.wait_for_function("window.scrollY < 200")
    assert box(page.locator("h1"))["y"] >= 0


def test_citations_preview_with_the_keyboard_alone(live_portal, screen):
    page, _ = screen
    page.goto(live_portal.url + "/documents/social-workers/an-invitation-to-tell/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('citation')"):
            break
    else:
        raise AssertionError("no citation is reachable with Tab")
    citation = page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "dialog"
    name = page.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-labelledby'))"
        ".textContent"
    )
    assert name == f"Reference: {citation}"
    assert "as printed in the reference list of" in page.locator(".citation-popover").inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Go to the reference list"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Close"
    page.keyboard.press("Enter")
    assert page.locator(".citation-popover").count() == 0
    assert page.evaluate("document.activeElement.textContent") == citation
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"


def test_the_phone_layout_works_without_javascript(live_portal, browser):
    context = browser.new_context(viewport=SCREENS["phone"], java_script_enabled=False)
    page = context.new_page()
    try:
        base = live_portal.url
        page.goto(base + "/documents/police/barriers-to-engagement/")
        heading = box(page.locator("h1"))
        assert heading["y"] + heading["height"] < 667 / 2
        # The menu and the contents open with a tap, as plain <details>.
        open_menu_if_phone(page, phone=True)
        page.click(".site-menu > summary")  # and closed again: it lies over the page
        assert not page.locator(".site-menu nav").is_visible()
        link = page.locator("#contents").get_by_role("link", name="Investigating CSE")
        assert not link.is_visible()
        page.click("#contents > summary")
        assert link.is_visible()
        # No print button without a script to press it, but the way to print is said.
        assert not page.get_by_role("button", name=re.compile("Print")).is_visible()
        assert page.get_by_text(
            "To print this section, use your browser’s Print command"
        ).is_visible()
        # A citation still leads to the full reference: the document's list.
        page.locator(".prose a.citation").first.click()
        page.wait_for_url("**/documents/police/#ref-*")
        assert page.locator("#" + page.url.split("#")[1]).is_visible()
        # (No axe audit here: axe is a script, and scripts are off.)
    finally:
        context.close()
