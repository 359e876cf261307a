"""An editor (only in the Editors group) writes in the admin at 1280x800 and 1024x768: edits a
section with the preview drawn as readers see it, saves with a note, and no admin page of ours
is wider than the window; the customised pages pass axe."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from briefings.models import Briefing, ChangeNote, Citation, GlossaryTerm, Reference, Theme
from tests.support.axe import AXE_OPTIONS

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


def _sign_in(page, url):
    editor = User.objects.create_user("section-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page.goto(f"{url}/admin/login/?next=/admin/")
    page.fill("#id_username", "section-editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _admin_pages():
    police = Briefing.objects.get(slug="police")
    section = police.sections.order_by("order").first()
    citation = Citation.objects.filter(briefing=police).first()
    note = ChangeNote.objects.create(briefing=police, note="Added advice on recording contact.")
    return {
        "documents": "/admin/briefings/briefing/",
        "due-for-review": "/admin/briefings/briefing/?review=attention",
        "document": f"/admin/briefings/briefing/{police.pk}/change/",
        "revisions": f"/admin/briefings/briefing/{police.pk}/revisions/",
        "section": f"/admin/briefings/section/{section.pk}/change/",
        "sections": "/admin/briefings/section/",
        "key-message": f"/admin/briefings/keymessage/{police.key_messages.first().pk}/change/",
        "citation": f"/admin/briefings/citation/{citation.pk}/change/",
        "references": "/admin/briefings/reference/",
        "reference": f"/admin/briefings/reference/{Reference.objects.first().pk}/change/",
        "glossary": f"/admin/briefings/glossaryterm/{GlossaryTerm.objects.first().pk}/change/",
        "theme": f"/admin/briefings/theme/{Theme.objects.first().pk}/change/",
        "change-note": f"/admin/briefings/changenote/{note.pk}/change/",
        "home": "/admin/",
    }


# The parts of the admin we made, checked with axe. The stock Django widgets around them (the
# select2 theme picker, the two-box audience picker, tabular inlines' unlabelled cells) are
# Django's and are not audited here.
CUSTOMISED = {
    "documents": ["#changelist-filter", "#result_list", ".object-tools"],
    "due-for-review": ["#result_list", ".object-tools"],
    "document": [".markdown-field", ".change-note-fieldset", ".object-tools", ".field-source_file"],
    "revisions": ["#content-main"],
    "section": [".markdown-field", ".field-rendered"],
    "key-message": ["fieldset:has(#id_change_note)"],
    "citation": ["fieldset:has(#id_change_note)"],
}


def _axe(page, selectors):
    context = {"include": [[selector] for selector in selectors]}
    results = Axe().run(page, context=context, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_admin_page_of_ours_is_wider_than_the_window(live_portal, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_portal.url)
    problems = {}
    for name, path in _admin_pages().items():
        response = page.goto(live_portal.url + path)
        assert response.status == 200, (name, response.status)
        found = page.evaluate(OVERFLOW_JS)
        if found["scroll"] > 0 or found["wide"]:
            problems[name] = found
        if name in CUSTOMISED:
            found_axe = _axe(page, CUSTOMISED[name])
            assert found_axe == [], "\n".join([name, *found_axe])
        _shot(page, f"admin-{name}-{width}")
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
