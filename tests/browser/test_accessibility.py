"""Every page type passes axe-core (WCAG 2.2 A/AA, target size and best practice) in a real
Chromium, on a phone (375 px), a desktop and at 320 px wide, and the core journey works with the
keyboard alone, on a phone's menu too."""

import pytest

from briefings.packs.permissions import seed_groups
from tests.support.axe import axe_violations
from tests.support.packs import PASSWORD, first_sections, make_pack, make_trainer, section

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/roles/police/",
    "/documents/",
    "/documents/police/",
    "/documents/social-workers/?role=social-workers",
    "/documents/cse-factsheet/",
    "/documents/multi-agency-working/an-integrated-approach/",
    "/documents/police/barriers-to-engagement/?role=police",
    "/documents/social-workers/an-invitation-to-tell/",
    "/themes/",
    "/themes/?role=police",
    "/themes/parents-and-carers/?role=police",
    "/themes/health-needs/?role=police",
    "/themes/disrupting-perpetrators/compare/",
    "/themes/barriers-to-disclosure/compare/?role=police",
    "/search/",
    "/search/?q=missing&role=police&theme=going-missing",
    "/search/?q=xylophone&role=police",
    "/accounts/login/",
    "/packs/",
    "/references/?sort=cited",
    "/glossary/",
    "/no-such-page/",
]


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_type_passes_axe(live_portal, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    failures = {}
    try:
        for path in PAGES:
            page.goto(live_portal.url + path)
            problems = axe_violations(page)
            if problems:
                failures[path] = problems
    finally:
        context.close()
    assert failures == {}


def _failures(page, base, paths):
    failures = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        problems = axe_violations(page)
        if problems:
            failures[path] = problems
    return failures


@pytest.mark.parametrize("width", [375, 1280])
def test_a_trainers_pages_and_the_reading_pages_they_add_from_pass_axe(live_portal, browser, width):
    seed_groups()
    trainer = make_trainer(f"axe-trainer-{width}")
    disrupting = section("police", "disrupting-offenders")
    pack = make_pack(trainer, [disrupting, first_sections("social-workers", 1)[0]])
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        base = live_portal.url
        # Read by anyone with the link.
        shared = [pack.get_absolute_url(), pack.get_handout_url()]
        failures = _failures(page, base, shared)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", trainer.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # Signed in: the reading pages carry "Add to pack" beside each passage.
        reading = ["/documents/police/", disrupting.get_absolute_url()]
        page.goto(base + reading[1])
        assert page.locator("a.add-to-pack").count() > 0
        own = [
            "/packs/mine/",
            "/packs/new/",
            f"/packs/add/?section={disrupting.pk}",
            pack.get_edit_url(),
        ]
        failures |= _failures(page, base, reading + own)
    finally:
        context.close()
    assert failures == {}


def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(live_portal, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for path in ["/", "/documents/police/", "/themes/", "/references/"]:
            page.goto(live_portal.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, path
            assert axe_violations(page) == [], path
    finally:
        context.close()


def _tab_to(page, predicate, limit=400):
    """Press Tab until the focused element satisfies the predicate (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => !!el && ({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"never reached an element where {predicate}")


def _enter_and_load(page):
    """Press Enter on the focused link or field and check the page it leads to loaded."""
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200, navigation.value.url


def test_the_core_journey_works_with_the_keyboard_alone(live_portal, page):
    page.goto(live_portal.url + "/")

    # The skip link is the first stop and is visible when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0

    # Choose a role.
    _tab_to(page, "el.getAttribute('href') === '/roles/police/'")
    _enter_and_load(page)
    page.wait_for_url("**/roles/police/")

    # Open the police document.
    _tab_to(page, "el.getAttribute('href') === '/documents/police/?role=police'")
    _enter_and_load(page)
    page.wait_for_url("**/documents/police/?role=police")

    # Jump to a section from the contents list: focus follows the link to the heading.
    _tab_to(page, "el.closest('.contents') && el.getAttribute('href') === '#investigating-cse'")
    page.keyboard.press("Enter")
    assert page.url.endswith("#investigating-cse")
    assert page.locator("#investigating-cse").is_visible()

    # From the section, open it on its own page and follow a related section.
    _tab_to(
        page,
        "el.classList.contains('section-page-link') && "
        "el.getAttribute('href').startsWith('/documents/police/investigating-cse/')",
    )
    _enter_and_load(page)
    page.wait_for_url("**/documents/police/investigating-cse/?role=police")
    _tab_to(page, "!!el.closest('.related') && el.tagName === 'A'")
    related_href = page.evaluate("document.activeElement.getAttribute('href')")
    _enter_and_load(page)
    page.wait_for_url("**" + related_href)
    assert not related_href.startswith("/documents/police/")

    # Search from the header.
    _tab_to(page, "el.getAttribute('href') && el.getAttribute('href').startsWith('/search/')")
    _enter_and_load(page)
    page.wait_for_url("**/search/**")
    _tab_to(page, "el.tagName === 'INPUT' && el.name === 'q'")
    page.keyboard.type("young person will not talk")
    _enter_and_load(page)
    page.wait_for_url("**q=young+person+will+not+talk**")
    assert page.locator("h1").first.is_visible()


def test_focus_is_always_visible(live_portal, page):
    # Every stop of the page's Tab order, up to the point where focus leaves the page (bounded in
    # case focus is trapped), not a fixed number of the first ones.
    page.goto(live_portal.url + "/documents/police/")
    stops = 0
    for _ in range(2000):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        stops += 1
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
        )
        assert style[0] != "none" or style[2] != "none", style
    else:
        raise AssertionError("focus never left the page: a keyboard trap, or a bound too low")
    assert stops > 25


def test_the_print_layout_hides_navigation_and_keeps_the_text(live_portal, page):
    page.goto(live_portal.url + "/documents/police/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("nav.contents").is_visible()
    assert page.locator("#references").is_visible()
    assert page.locator("figure.quote").first.is_visible()


def test_the_phone_menu_works_with_the_keyboard_alone(live_portal, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    try:
        page.goto(live_portal.url + "/documents/police/")
        _tab_to(page, "el.tagName === 'SUMMARY' && !!el.closest('.site-menu')")
        assert not page.locator(".site-menu nav").is_visible()
        page.keyboard.press("Enter")
        assert page.locator(".site-menu nav").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator(".site-menu nav").is_visible()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        page.keyboard.press("Enter")
        _tab_to(page, "el.getAttribute('href') === '/themes/'", limit=10)
        _enter_and_load(page)
        page.wait_for_url("**/themes/")
        # The contents of a document open from the keyboard too.
        page.goto(live_portal.url + "/documents/police/")
        _tab_to(page, "el.tagName === 'SUMMARY' && !!el.closest('#contents')")
        page.keyboard.press("Enter")
        _tab_to(page, "el.getAttribute('href') === '#investigating-cse'", limit=20)
        page.keyboard.press("Enter")
        assert page.locator("#investigating-cse").is_visible()
    finally:
        context.close()
