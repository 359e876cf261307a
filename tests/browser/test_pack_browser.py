"""A trainer builds a pack in a real browser with the keyboard alone: signs in, creates a pack,
adds three items from two documents, reorders them and writes notes. Every page on the way is
axe-clean (WCAG 2.2 AA and best practice)."""

import pytest

from briefings.packs.models import Pack
from briefings.packs.permissions import seed_groups
from tests.support.axe import axe_violations
from tests.support.focus import assert_focus_id, wait_for_focus
from tests.support.packs import PASSWORD, make_pack, make_trainer, published_targets, section

pytestmark = pytest.mark.browser


FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0] : null;
  return ((label || el).textContent || "").replace(/\\s+/g, " ").trim();
}"""


def assert_axe_clean(page):
    assert axe_violations(page) == [], page.url


def focused(page):
    return page.evaluate(FOCUSED_NAME)


def tab_to(page, name, limit=300):
    """Press Tab until the focused control's name (or its label) is `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def tab_to_field(page, field_id, limit=50):
    """Press Tab until the field with this id has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == field_id:
            return
    raise AssertionError(f"Tab never reached #{field_id}")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def keyboard_trainer(live_portal):
    # A transactional test starts from an empty database: seed the group as migrations do.
    seed_groups()
    return make_trainer("keyboard-trainer")


def add_with_keyboard(page, url, control):
    page.goto(url)
    tab_to(page, control)
    press_enter_and_wait(page)
    assert "/packs/add/" in page.url
    assert_axe_clean(page)
    tab_to(page, "Add to pack")
    press_enter_and_wait(page)
    # Back where the trainer was reading, with focus on the confirmation beside the item.
    assert page.url == f"{url}#pack-added"
    assert_focus_id(page, "pack-added")
    assert focused(page).startswith("Added")


def test_a_trainer_builds_reorders_and_annotates_a_pack_with_the_keyboard_alone(
    live_portal, keyboard_trainer, page
):
    base = live_portal.url
    disrupting = section("police", "disrupting-offenders")
    invitation = section("social-workers", "invitation-to-tell")

    # Sign in: the username field has focus; type, Tab, type, Enter.
    page.goto(f"{base}/accounts/login/?next=/packs/mine/")
    assert_axe_clean(page)
    assert_focus_id(page, "id_username")
    page.keyboard.type("keyboard-trainer")
    tab_to_field(page, "id_password")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert page.url == f"{base}/packs/mine/"
    assert_axe_clean(page)

    # Create the pack.
    tab_to(page, "Create a new pack")
    press_enter_and_wait(page)
    assert_axe_clean(page)
    tab_to(page, "Title")
    page.keyboard.type("Week 3: disrupting exploitation")
    tab_to_field(page, "id_introduction")
    page.keyboard.type("Read these before the session.")
    tab_to(page, "Create pack")
    press_enter_and_wait(page)
    pack = Pack.objects.get(owner=keyboard_trainer)
    assert pack.title == "Week 3: disrupting exploitation"
    assert_axe_clean(page)

    # Three items from two documents: a key message and a section from the police briefing,
    # a section from the social workers' briefing.
    add_with_keyboard(page, f"{base}/documents/police/", "Add to pack: key message 2")
    assert_axe_clean(page)
    add_with_keyboard(
        page, f"{base}{disrupting.get_absolute_url()}", f"Add to pack: {disrupting.heading}"
    )
    add_with_keyboard(
        page, f"{base}{invitation.get_absolute_url()}", f"Add to pack: {invitation.heading}"
    )
    items = list(pack.items.order_by("order"))
    assert [i.kind for i in items] == ["key_message", "section", "section"]
    assert [i.section_id for i in items[1:]] == [disrupting.pk, invitation.pk]

    # Reorder: move the social workers' section to the top. Focus stays with the moved item.
    page.goto(f"{base}{pack.get_edit_url()}")
    tab_to(page, f"Move up: item 3, “{invitation.heading}”")
    press_enter_and_wait(page)
    wait_for_focus(page, FOCUSED_NAME, f"Move up: item 2, “{invitation.heading}”")
    # The confirmation is beside the moved item, on screen with the focused button.
    moved = pack.items.get(section=invitation)
    status = page.locator(f"#status-{moved.pk}")
    assert status.inner_text().startswith(f"Moved “{invitation.heading}” to position 2")
    assert status.evaluate("e => e.getBoundingClientRect().bottom <= window.innerHeight")
    assert_axe_clean(page)
    press_enter_and_wait(page)
    wait_for_focus(page, FOCUSED_NAME, f"Move down: item 1, “{invitation.heading}”")
    order = list(pack.items.order_by("order").values_list("section_id", "kind"))
    assert order == [(invitation.pk, "section"), (None, "key_message"), (disrupting.pk, "section")]

    # Notes: plain text, markup and all.
    page.goto(f"{base}{pack.get_edit_url()}")
    tab_to(page, f"Your note on item 1, “{invitation.heading}” (optional)")
    page.keyboard.type("Start here. Ask: <b>what would help her tell?</b>")
    tab_to(page, f"Your note on item 3, “{disrupting.heading}” (optional)")
    page.keyboard.type("Compare with the police view.")
    tab_to(page, "Save notes")
    press_enter_and_wait(page)
    notes = list(pack.items.order_by("order").values_list("note", flat=True))
    assert notes == [
        "Start here. Ask: <b>what would help her tell?</b>",
        "",
        "Compare with the police view.",
    ]
    assert_axe_clean(page)

    # The pack as a reader sees it, and its handout.
    page.goto(f"{base}{pack.get_absolute_url()}")
    assert_axe_clean(page)
    headings = page.locator(".pack-item h2").all_inner_texts()
    assert headings[0] == invitation.heading
    assert headings[2] == disrupting.heading
    assert (
        page.locator(".pack-note")
        .first.inner_text()
        .endswith("Start here. Ask: <b>what would help her tell?</b>")
    )
    page.goto(f"{base}{pack.get_handout_url()}")
    assert_axe_clean(page)
    assert page.locator("svg.qr-code").count() == 4


def test_an_anonymous_reader_with_the_link_reads_the_pack_in_a_browser(live_portal, page):
    seed_groups()
    trainer = make_trainer("reader-test-trainer")
    pack = Pack.objects.create(owner=trainer, title="Shared session")
    pack.items.create(kind="section", section=section("police", "disrupting-offenders"))
    page.goto(f"{live_portal.url}{pack.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Shared session"
    assert page.context.cookies() == []
    assert_axe_clean(page)
    # A phone-width screen reads the pack and its handout without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (pack.get_absolute_url(), pack.get_handout_url()):
        page.goto(f"{live_portal.url}{url}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_portal.url}/packs/")
    assert page.locator(f'a[href="{pack.get_absolute_url()}"]').count() == 0
    assert_axe_clean(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_trainer_adding_to_a_full_pack_is_told_why_with_the_keyboard_alone(
    live_portal, page, width, tmp_path
):
    seed_groups()
    trainer = make_trainer(f"full-pack-trainer-{width}")
    disrupting = section("police", "disrupting-offenders")
    others = [t for t in published_targets(61) if t != disrupting][:60]
    pack = make_pack(trainer, others, title="A full session")
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_portal.url}/accounts/login/?next={disrupting.get_absolute_url()}")
    page.keyboard.type(trainer.username)
    tab_to_field(page, "id_password")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    tab_to(page, f"Add to pack: {disrupting.heading}")
    press_enter_and_wait(page)
    # The trainer's most recent pack is already chosen: straight to the button.
    assert page.locator('input[name="pack"]:checked').get_attribute("value") == pack.token
    tab_to(page, "Add to pack")
    press_enter_and_wait(page)

    error = page.get_by_text("A pack holds at most 60 items.")
    assert error.is_visible()
    assert "/packs/add/" in page.url
    assert pack.items.count() == 60
    assert not pack.items.filter(section=disrupting).exists()
    assert_axe_clean(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(tmp_path / f"full-pack-{width}.png"), full_page=True)
