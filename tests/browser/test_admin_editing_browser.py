"""An editor (only in the Editors group) writes in the admin at 1280x800 and 1024x768: edits a
section with the preview drawn as readers see it, saves with a note, and no admin page (packs'
included) is wider than the window; every admin page an editor uses passes axe, whole, at 375 px
and 1280 px, and Django's stock widgets have names and work from the keyboard."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect
from reversion.models import Version

from briefings.editorial import services
from briefings.models import Briefing, ChangeNote, Citation, GlossaryTerm, Reference, Theme
from briefings.packs.permissions import seed_groups
from tests.support.axe import axe_violations
from tests.support.packs import make_pack, make_trainer, published_targets

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"
SIZES = [(1280, 800), (1024, 768)]

# Elements wider than the window, and how far the page scrolls sideways.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > width + 1) {
      wide.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} ${Math.round(box.width)}px`);
    }
  }
  return {scroll: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5)};
}"""


def _shot(page, name):
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def _sign_in(page, url, username="section-editor"):
    if not User.objects.filter(username=username).exists():
        editor = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
    page.goto(f"{url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _admin_pages():
    """Every admin page an editor uses (and a superuser's page for changing a pack's items)."""
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    citation = Citation.objects.filter(briefing=police).first()
    note = ChangeNote.objects.create(briefing=police, note="Added advice on recording contact.")
    seed_groups()
    pack = make_pack(make_trainer("pack-owner"), published_targets(3))
    services.mark_reviewed(police, None)  # a starting point and a revision: one to revert to
    first = Version.objects.get_for_object(police).order_by("pk").first()
    return {
        "documents": "/admin/briefings/briefing/",
        "due-for-review": "/admin/briefings/briefing/?review=attention",
        "document": f"/admin/briefings/briefing/{police.pk}/change/",
        "add-document": "/admin/briefings/briefing/add/",
        "revisions": f"/admin/briefings/briefing/{police.pk}/revisions/",
        "compare": f"/admin/briefings/briefing/{police.pk}/revisions/compare/"
        f"?old={first.pk}&new=current",
        "revert": f"/admin/briefings/briefing/{police.pk}/revisions/{first.pk}/revert/",
        "recover": "/admin/briefings/briefing/recover/",
        "import": "/admin/briefings/briefing/import/",
        "import-word": "/admin/briefings/briefing/import/word/",
        "section": f"/admin/briefings/section/{section.pk}/change/",
        "sections": "/admin/briefings/section/",
        "key-message": f"/admin/briefings/keymessage/{police.key_messages.first().pk}/change/",
        "citation": f"/admin/briefings/citation/{citation.pk}/change/",
        "references": "/admin/briefings/reference/",
        "reference": f"/admin/briefings/reference/{Reference.objects.first().pk}/change/",
        "glossary": f"/admin/briefings/glossaryterm/{GlossaryTerm.objects.first().pk}/change/",
        "theme": f"/admin/briefings/theme/{Theme.objects.first().pk}/change/",
        "change-note": f"/admin/briefings/changenote/{note.pk}/change/",
        "packs": "/admin/packs/pack/",
        "pack": f"/admin/packs/pack/{pack.pk}/change/",
        "home": "/admin/",
        # Editors may only look at packs; a superuser may change a pack's items.
        "superuser:pack": f"/admin/packs/pack/{pack.pk}/change/",
        "superuser:add-pack": "/admin/packs/pack/add/",
    }


def _visit_as_editor_then_superuser(page, url):
    """Each admin page, signed in as an editor, then the superuser's ones."""
    _sign_in(page, url)
    pages = _admin_pages()
    for name, path in pages.items():
        if name.startswith("superuser:"):
            continue
        response = page.goto(url + path)
        assert response.status == 200, (name, response.status)
        yield name
    page.context.clear_cookies()
    User.objects.create_superuser("pack-superuser", password=PASSWORD)
    _sign_in(page, url, username="pack-superuser")
    for name, path in pages.items():
        if name.startswith("superuser:"):
            response = page.goto(url + path)
            assert response.status == 200, (name, response.status)
            yield name


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_admin_page_is_wider_than_the_window(live_portal, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    problems = {}
    for name in _visit_as_editor_then_superuser(page, live_portal.url):
        found = page.evaluate(OVERFLOW_JS)
        if found["scroll"] > 0 or found["wide"]:
            problems[name] = found
        _shot(page, f"admin-{name.replace(':', '-')}-{width}")
    assert problems == {}


@pytest.mark.parametrize("width", [375, 1280])
def test_every_admin_page_passes_axe(live_portal, page, width):
    """The whole page, Django's stock widgets included (select2, the two-box picker, tabular
    inlines, date and time boxes): static/js/admin-accessible.js and css/admin-accessible.css.
    At 375 px wide tables scroll inside their own box (WCAG 1.4.10 lets data tables), but the
    page itself never scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 800})
    problems = {}
    for name in _visit_as_editor_then_superuser(page, live_portal.url):
        found = axe_violations(page)
        sideways = page.evaluate(OVERFLOW_JS)["scroll"]
        if found or sideways:
            problems[name] = [
                *found,
                *([f"page scrolls {sideways}px sideways"] if sideways else []),
            ]
        _shot(page, f"admin-{name.replace(':', '-')}-{width}")
    assert problems == {}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_an_editor_edits_a_section_with_a_faithful_preview_and_saves_with_a_note(
    live_portal, page, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_portal.url)
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    page.goto(f"{live_portal.url}/admin/briefings/section/{section.pk}/change/")
    body = page.locator("#id_body")
    box = body.bounding_box()
    assert box["width"] >= width * 0.55  # full width, not squeezed beside its preview

    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n- First point to check\n- Second point\n\n> “They listened.”")
    page.keyboard.type("\n\nSee [Smith, 2099](cite:smith-2099).")
    frame = page.frame_locator(".markdown-preview iframe")
    item = frame.locator("li", has_text="First point to check")
    expect(item).to_be_visible()
    # The site's stylesheet, not the admin's: bullets, and the site's quote style.
    assert item.evaluate("e => getComputedStyle(e.closest('ul')).listStyleType") == "disc"
    assert item.evaluate("e => getComputedStyle(e).display") == "list-item"
    quote_border = frame.locator("blockquote", has_text="They listened").evaluate(
        "e => getComputedStyle(e).borderLeftStyle"
    )
    assert quote_border == "solid"
    expect(frame.locator(".citation-unresolved", has_text="Smith, 2099")).to_be_visible()
    problems = page.locator(".preview-problems")
    expect(problems).to_contain_text("“smith-2099”")
    page.locator(".markdown-preview").scroll_into_view_if_needed()
    _shot(page, f"admin-section-preview-{width}")
    assert page.evaluate(OVERFLOW_JS) == {"scroll": 0, "wide": []}

    # A broken citation is a form error, and nothing is saved.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("matches no reference of this document")
    _shot(page, f"admin-section-error-{width}")
    page.locator("#id_body").fill(
        page.locator("#id_body")
        .input_value()
        .replace("\n\nSee [Smith, 2099](cite:smith-2099).", "")
    )
    page.get_by_label("Change readers should know about").check()
    page.locator("#id_change_note").fill("Added points to check.")
    page.locator("#id_revision_comment").fill("From the review panel.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    section.refresh_from_db()
    assert "- First point to check" in section.body
    assert "smith-2099" not in section.body
    assert ChangeNote.objects.filter(briefing=police, note="Added points to check.").exists()


def test_djangos_widgets_have_names_and_work_from_the_keyboard(live_portal, page):
    """The stock widgets named by static/js/admin-accessible.js, used with the keyboard alone: a
    row of a tabular inline, its themes autocomplete (type, Enter), the date and time boxes,
    the two-box picker's filter; and a pack item's single-choice autocomplete."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_portal.url)
    police = Briefing.objects.get(slug="police")
    first = police.key_messages.order_by("order").first()
    page.goto(f"{live_portal.url}/admin/briefings/briefing/{police.pk}/change/")

    messages = page.locator("#key_messages-group")
    text = messages.get_by_role("textbox", name="Text, row 1", exact=True)
    expect(text).to_have_value(first.text)
    text.focus()
    page.keyboard.press("Tab")
    expect(messages.get_by_role("textbox", name="Key, row 1", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    themes = messages.get_by_role("searchbox", name="Themes, row 1", exact=True)
    expect(themes).to_be_focused()
    page.keyboard.type("Going mis")
    suggestions = page.get_by_role("listbox", name="Suggestions for Themes, row 1")
    expect(suggestions.get_by_role("option", name="Going missing")).to_be_visible()
    assert axe_violations(page) == []  # with the suggestions open
    page.keyboard.press("Enter")
    chosen = page.locator("#id_key_messages-0-themes option:checked")
    expect(chosen.filter(has_text="Going missing")).to_have_count(1)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(messages.get_by_role("checkbox", name="Delete?, row 1", exact=True)).to_be_focused()

    expect(page.locator("#id_publish_from_0")).to_have_accessible_name("Publish from: Date:")
    expect(page.locator("#id_publish_from_1")).to_have_accessible_name("Publish from: Time:")
    filter_help = "Type into this box to filter down the list of available audiences."
    expect(page.get_by_role("img", name=filter_help)).to_have_count(1)
    # The two-box picker: filter, then Enter moves the first match across.
    page.locator("#id_audiences_input").focus()
    page.keyboard.type("in schools")
    page.keyboard.press("Enter")
    expect(
        page.locator("#id_audiences_to option", has_text="Professionals in schools")
    ).to_have_count(1)
    _shot(page, "admin-keyboard-themes-1280")

    # A pack's items, as a superuser changes them: each autocomplete says its column, its row
    # and its choice, opens with Enter and takes a choice typed into its search box.
    seed_groups()
    pack = make_pack(make_trainer("keyboard-owner"), published_targets(2))
    page.context.clear_cookies()
    User.objects.create_superuser("keyboard-superuser", password=PASSWORD)
    _sign_in(page, live_portal.url, username="keyboard-superuser")
    page.goto(f"{live_portal.url}/admin/packs/pack/{pack.pk}/change/")
    target = pack.items.order_by("order").first().section
    page.get_by_role("combobox", name="Kind, row 1", exact=True).focus()
    page.keyboard.press("Tab")
    section = page.get_by_role("combobox", name=f"Section, row 1 {target.heading}")
    expect(section).to_be_focused()
    page.keyboard.press("Enter")
    search = page.get_by_role("searchbox", name="Search Section, row 1", exact=True)
    expect(search).to_be_focused()
    assert axe_violations(page) == []  # with the suggestions open
    page.keyboard.type("Disrupting")
    suggestions = page.get_by_role("listbox", name="Suggestions for Section, row 1")
    options = suggestions.get_by_role("option")
    # The answer to the search (the sections whose heading or text has the word), not the
    # first page of every section shown while it was asked for.
    expect(options.filter(has_text="Introduction")).to_have_count(0)
    expect(options.filter(has_text="Disrupting offenders")).to_have_count(1)
    highlighted = suggestions.locator(".select2-results__option--highlighted")
    for _ in range(options.count()):  # down the list to it, as a person would
        if highlighted.inner_text() == "Disrupting offenders":
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    chosen = page.get_by_role("combobox", name="Section, row 1 Disrupting offenders", exact=True)
    expect(chosen).to_be_focused()
    assert page.locator("#id_items-0-section option:checked").inner_text() == "Disrupting offenders"
    _shot(page, "admin-keyboard-pack-1280")
