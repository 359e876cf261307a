"""A trainer's journey in a real Chromium, on a phone (375 px) and a desk (1280 px): sign in from
the footer, give the name handouts print, add three items from two documents while reading (back
each time to the place they were reading, with a confirmation beside the item; the third with
JavaScript off), reorder them (the confirmation beside the moved item), share the pack with "Copy
link", open it signed out and print its handout (references, trainer, page numbers). Every page
on the way is axe-clean (WCAG 2.2 AA, target size included). Issue 17, item 8."""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from briefings.packs.models import Pack
from briefings.packs.permissions import seed_groups
from tests.support.axe import axe_violations
from tests.support.focus import assert_focus_id
from tests.support.packs import PASSWORD, first_sections, key_messages, make_trainer

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 375, "height": 667}, "desk": {"width": 1280, "height": 800}}


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser, live_portal):
    context = browser.new_context(viewport=SCREENS[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_portal.url)
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"JavaScript error: {error}"))
    yield page, request.param
    context.close()


def named(text):
    """An accessible name as the reader hears it; a visually hidden part (position: absolute)
    may come with spaces of its own around it."""
    return re.compile("^" + r"\s*".join(re.escape(c) for c in text.replace(" ", "")) + "$")


def assert_clean(page):
    assert axe_violations(page) == [], page.url


def on_screen(locator):
    """Whether the element is inside the viewport now (not merely somewhere on the page)."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.width > 0; }"
    )


# The contrast of an element's text with the first background behind it that is not transparent
# (WCAG's formula), for the header's links, which axe may only list as "needs review".
CONTRAST = """e => {
  const style = el => getComputedStyle(el);
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const linear = v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = c => c.map(v => linear(v / 255))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = e;
  while (back.parentElement && /rgba\\(.*, 0\\)|transparent/.test(style(back).backgroundColor)) {
    back = back.parentElement;
  }
  const [a, b] = [lum(rgb(style(e).color)), lum(rgb(style(back).backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def contrast(locator):
    return locator.evaluate(CONTRAST)


def shot(page, name):
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def add_while_reading(page, reading, control, *, title=None, script=True):
    """From the reading page, "Add to pack" on `control`; back on the reading page at the
    confirmation. `title` creates the pack (only then is a title asked for). `script=False`: the
    page runs no JavaScript (axe, which needs it, has checked these pages in the other runs)."""
    page.goto(reading)
    page.get_by_role("link", name=named(control)).click()
    page.wait_for_url("**/packs/add/**")
    if script:
        assert_clean(page)
    title_field = page.get_by_label("Title of the new pack")
    if title is None:
        # An existing pack is chosen already; the new pack's title is not asked for.
        assert page.locator('input[name="pack"]:checked').count() == 1
        assert not title_field.is_visible()
        page.get_by_label("A new pack").check()
        assert title_field.is_visible()
        page.locator('input[name="pack"]').first.check()
        assert not title_field.is_visible()
    else:
        assert page.locator('input[name="pack"][type="radio"]').count() == 0
        title_field.fill(title)
    page.get_by_role("button", name="Add to pack").click()
    page.wait_for_url(f"{reading}#pack-added")
    confirmation = page.locator("#pack-added")
    assert confirmation.is_visible()
    assert on_screen(confirmation), confirmation.evaluate(
        "e => [JSON.stringify(e.getBoundingClientRect()), window.scrollY, window.innerHeight]"
    )
    if script:
        assert_focus_id(page, "pack-added")
    return confirmation


def test_a_trainer_builds_shares_and_prints_a_pack_while_reading(live_portal, screen, browser):
    page, name = screen
    base = live_portal.url
    seed_groups()
    trainer = make_trainer(f"trainer-{name}")

    # Signed out, nothing says otherwise; the footer leads to the sign-in.
    page.goto(f"{base}/documents/police/")
    assert page.locator(".account-state").count() == 0
    assert_clean(page)
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/**")
    assert_clean(page)
    page.get_by_label("Username").fill(trainer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/packs/mine/")

    # The header says who is signed in, with "Your packs" and "Sign out", at both widths.
    account = page.locator(".account-state")
    assert account.is_visible()
    assert f"Signed in as {trainer.username}" in account.inner_text()
    for control in (
        account.get_by_role("link", name="Your packs"),
        account.get_by_role("button", name="Sign out"),
    ):
        assert control.is_visible()
        assert contrast(control) >= 4.5
        assert control.bounding_box()["height"] >= 24
    assert_clean(page)

    # No name yet: handouts would name no one, and "Your packs" says so. The trainer adds one.
    assert (
        page.locator(".trainer-name").inner_text().startswith("Your handouts do not name you yet.")
    )
    page.get_by_role("link", name=named("Add your name on handouts")).click()
    page.wait_for_url(f"{base}/packs/name/")
    assert_clean(page)
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Byrne")
    shot(page, f"trainer-name-{name}")
    page.get_by_role("button", name="Save your name").click()
    page.wait_for_url(f"{base}/packs/mine/")
    assert page.locator("#status").inner_text() == (
        "Saved your name: handouts now say “Prepared by Ada Byrne”."
    )
    assert "Signed in as Ada Byrne" in account.inner_text()
    assert "“Prepared by Ada Byrne”" in page.locator(".trainer-name").inner_text()
    shot(page, f"trainer-mine-{name}")
    assert_clean(page)

    # Three items from two documents, while reading.
    police = f"{base}/documents/police/?role=police"
    message = key_messages("police", 1)[0]
    added = add_while_reading(page, police, "Add to pack: key message 1", title="Week 3")
    assert re.fullmatch(r"Added\s*key message 1\s*to\s*“Week 3”", added.inner_text())
    shot(page, f"trainer-added-{name}")
    assert_clean(page)
    section = first_sections("police", 2)[1]
    added = add_while_reading(page, police, f"Add to pack: {section.heading}")
    assert "“Week 3”" in added.inner_text()
    # Beside the section it confirms: the section's own control is just before it.
    assert section.heading in added.inner_text()
    # The third with JavaScript off, in the same session: the control is a link, the choice a
    # form, the title of a new pack hidden by the stylesheet alone, the way back a redirect.
    other = first_sections("social-workers", 2)[1]
    reading = f"{base}{other.get_absolute_url()}"
    no_script = browser.new_context(
        viewport=SCREENS[name],
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    try:
        plain = no_script.new_page()
        added = add_while_reading(plain, reading, f"Add to pack: {other.heading}", script=False)
        assert other.heading in added.inner_text()
        shot(plain, f"trainer-added-no-script-{name}")
        # The share link without JavaScript: there to select and copy; no "Copy link" button.
        plain.goto(f"{base}{Pack.objects.get(owner=trainer).get_edit_url()}")
        assert plain.locator("#share-link").is_visible()
        assert not plain.get_by_role("button", name="Copy link").is_visible()
    finally:
        no_script.close()
    page.goto(reading)  # the same page signed in, with JavaScript, for axe
    assert_clean(page)
    pack = Pack.objects.get(owner=trainer)
    items = list(pack.items.order_by("order"))
    assert [(i.kind, i.key_message_id or i.section_id) for i in items] == [
        ("key_message", message.pk),
        ("section", section.pk),
        ("section", other.pk),
    ]

    # Share: "Your packs" from the header, the editor, "Copy link".
    page.locator(".account-state").get_by_role("link", name="Your packs").click()
    page.wait_for_url(f"{base}/packs/mine/")
    page.get_by_role("link", name=named("Edit “Week 3”")).click()
    page.wait_for_url(f"{base}{pack.get_edit_url()}")

    # Reorder: "Move up" on the third item. The confirmation is beside it, on screen, and the
    # moved item's button keeps the focus.
    moved = items[2]
    page.get_by_role("button", name=named(f"Move up: item 3, “{other.heading}”")).click()
    page.wait_for_url(f"{base}{pack.get_edit_url()}?focus=up-{moved.pk}")
    status = page.locator(f"#status-{moved.pk}")
    assert status.inner_text() == f"Moved “{other.heading}” to position 2 of 3."
    assert on_screen(status)
    assert page.locator("#status").count() == 0  # not also at the top
    assert_focus_id(page, f"up-{moved.pk}")
    shot(page, f"trainer-moved-{name}")
    assert_clean(page)
    assert list(pack.items.order_by("order").values_list("pk", flat=True)) == [
        items[0].pk,
        moved.pk,
        items[1].pk,
    ]
    copy = page.get_by_role("button", name="Copy link")
    assert copy.is_visible()
    assert copy.bounding_box()["height"] >= 24
    copy.click()
    # Waiting with a locator, not wait_for_function: the page's CSP refuses string evaluation.
    expect(page.locator("#copy-status")).to_have_text("Link copied")
    shared = page.evaluate("navigator.clipboard.readText()")
    assert shared == f"{base}{pack.get_absolute_url()}"
    page.get_by_label("Contact line for the handout (optional)").fill("ada.byrne@example.org")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_url(f"{base}{pack.get_edit_url()}?focus=save-details")
    shot(page, f"trainer-share-{name}")
    assert_clean(page)

    # Sign out from the header.
    page.locator(".account-state").get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/")
    assert_clean(page)
    assert page.locator(".account-state").count() == 0

    # Someone else opens the link, signed out, in a browser of their own.
    reader = browser.new_context(viewport=SCREENS[name])
    try:
        other_page = reader.new_page()
        other_page.goto(shared)
        assert other_page.locator("h1").inner_text() == "Week 3"
        assert other_page.locator(".pack-item").count() == 3
        assert other_page.locator(".account-state").count() == 0
        assert reader.cookies() == []
        assert_clean(other_page)

        # The handout, in print: references, the trainer and their contact, page numbers.
        other_page.get_by_role("link", name="Printable handout").click()
        other_page.wait_for_url(f"{base}{pack.get_handout_url()}")
        assert_clean(other_page)
        other_page.emulate_media(media="print")
        assert not other_page.locator(".handout-tools").is_visible()
        trainer_line = other_page.locator(".handout-trainer")
        assert trainer_line.inner_text() == "Prepared by Ada Byrne\nada.byrne@example.org"
        references = other_page.locator(".handout-references")
        assert references.is_visible()
        assert references.locator("li").count() >= 1
        shot(other_page, f"trainer-handout-print-{name}")
        assert_clean(other_page)  # in print media too
        printed = other_page.pdf(format="A4")
        folder = os.environ.get("PORTAL_SCREENSHOTS")
        if folder:
            (Path(folder) / f"trainer-handout-{name}.pdf").write_bytes(printed)
        pdf = PdfReader(io.BytesIO(printed))
        pages = [p.extract_text() for p in pdf.pages]
        total = len(pages)
        assert total >= 2
        for number, text in enumerate(pages, start=1):
            assert re.search(rf"Page\s*{number}\s*of\s*{total}", text), (number, text[-200:])
        # The references close the handout: the heading, then the works to the last page.
        assert any("References" in text for text in pages)
        last = references.locator("li").last.inner_text().split("(")[0].strip()
        assert last.split(",")[0] in pages[-1]
    finally:
        reader.close()
