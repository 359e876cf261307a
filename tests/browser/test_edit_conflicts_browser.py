"""Issue 22 in a real browser: two editors (two browser contexts, each signed in as an Editors
user) edit the police document at once; the second save is refused with the conflict page, which
shows both sentences, and "keep both" saves both. The same for a section edited inline and for an
import made while an editor had the page open; and a lock refuses another editor's save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from briefings.models import Briefing, Section
from tests.support.axe import AXE_OPTIONS, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"
FIRST = "Officers should record every contact in the case notes."
SECOND = "Supervisors should review those notes each week."


def _editor(username, first_name):
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, first_name=first_name
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _signed_in(browser, url, username, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return context, page


@pytest.fixture
def two_editors(live_portal, browser):
    _editor("amina", "Amina")
    _editor("ben", "Ben")
    first_context, first = _signed_in(browser, live_portal.url, "amina")
    second_context, second = _signed_in(browser, live_portal.url, "ben")
    yield first, second
    first_context.close()
    second_context.close()


def _shot(page, name, full_page=True):
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=full_page)


def _open(page, url, briefing):
    page.goto(f"{url}/admin/briefings/briefing/{briefing.pk}/change/")
    expect(page.locator("#briefing_form")).to_be_visible()


def _append(page, selector, sentence):
    box = page.locator(selector)
    box.fill(f"{box.input_value()}\n\n{sentence}")


def _save(page):
    with page.expect_navigation():
        page.locator("#briefing_form input[name=_continue]").click()


def _keep_both(page, label, *sentences):
    """On the conflict page: choose the merge for ``label`` and make it hold both texts."""
    field = page.locator("section.conflict-field", has_text=label)
    field.get_by_label("Keep the merge below").check()
    merge = field.locator("textarea")
    merge.fill(f"{merge.input_value()}\n\n" + "\n\n".join(sentences))
    with page.expect_navigation():
        page.get_by_role("button", name="Save with these choices").click()


def test_two_editors_adding_to_the_introduction_keep_both_sentences(live_portal, two_editors):
    first, second = two_editors
    police = Briefing.objects.get(slug="police")
    _open(first, live_portal.url, police)
    _open(second, live_portal.url, police)
    # The second editor sees that the first has the document open.
    expect(second.locator("#presence")).to_contain_text("Amina")
    _shot(second, "conflict-presence-1280", full_page=False)

    _append(first, "#id_intro", FIRST)
    _append(second, "#id_intro", SECOND)
    _save(first)
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")
    _save(second)

    # Refused: nothing of the second save was written, and the page shows both sentences.
    expect(second.locator(".errornote").first).to_contain_text("Nothing was saved")
    police.refresh_from_db()
    assert FIRST in police.intro
    assert SECOND not in police.intro
    field = second.locator("section.conflict-field", has_text="Introduction")
    expect(field.locator(".conflict-mine")).to_contain_text(SECOND)
    expect(field.locator(".conflict-theirs")).to_contain_text(FIRST)
    expect(second.locator(".saved-since")).to_contain_text("Amina")
    assert axe_violations(second) == []
    _shot(second, "conflict-page-1280")

    _keep_both(second, "Introduction", FIRST)

    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")
    police.refresh_from_db()
    assert FIRST in police.intro
    assert SECOND in police.intro


def test_two_editors_editing_a_section_inline_keep_both_sentences(live_portal, two_editors):
    first, second = two_editors
    police = Briefing.objects.get(slug="police")
    section = Section.objects.get(briefing=police, key="barriers-to-engagement")
    _open(first, live_portal.url, police)
    _open(second, live_portal.url, police)
    prefix = first.locator(f"input[name$='-id'][value='{section.pk}']").get_attribute("name")
    body = f"textarea[name='{prefix.removesuffix('-id')}-body']"
    for page in (first, second):  # open the sections inline if it starts folded away
        folded = page.locator(f"details:not([open]):has({body}) > summary")
        if folded.count():
            folded.first.click()

    _append(first, body, FIRST)
    _append(second, body, SECOND)
    _save(first)
    _save(second)

    field = second.locator("section.conflict-field", has_text=section.heading)
    expect(field.locator(".conflict-mine")).to_contain_text(SECOND)
    expect(field.locator(".conflict-theirs")).to_contain_text(FIRST)
    section.refresh_from_db()
    assert SECOND not in section.body
    assert axe_violations(second) == []
    _shot(second, "conflict-section-1280")

    _keep_both(second, section.heading, FIRST)

    section.refresh_from_db()
    assert FIRST in section.body
    assert SECOND in section.body


def test_an_import_while_the_page_is_open_is_not_overwritten(
    live_portal, two_editors, settings, tmp_path
):
    _first, second = two_editors
    police = Briefing.objects.get(slug="police")
    _open(second, live_portal.url, police)
    opening = police.intro.split("\n")[0]
    source = (settings.BASE_DIR / "fixtures" / "briefings" / "police.md").read_text()
    changed = tmp_path / "police.md"
    changed.write_text(source.replace(opening, f"{opening} {FIRST}", 1))
    call_command("import_briefings", str(changed), verbosity=0)

    _append(second, "#id_intro", SECOND)
    _save(second)

    expect(second.locator(".saved-since")).to_contain_text("An import or script")
    field = second.locator("section.conflict-field", has_text="Introduction")
    expect(field.locator(".conflict-theirs")).to_contain_text(FIRST)
    police.refresh_from_db()
    assert SECOND not in police.intro
    _shot(second, "conflict-import-1280")
    # Keep both: the editor's text already holds the import's paragraph but for its new sentence.
    merge = field.locator("textarea")
    merge.fill(merge.input_value().replace(opening, f"{opening} {FIRST}", 1))
    field.get_by_label("Keep the merge below").check()
    with second.expect_navigation():
        second.get_by_role("button", name="Save with these choices").click()

    police.refresh_from_db()
    assert FIRST in police.intro
    assert SECOND in police.intro


@pytest.mark.parametrize("width", [375, 1280])
def test_a_lock_shows_in_the_list_and_refuses_another_editors_save(live_portal, browser, width):
    _editor("amina", "Amina")
    _editor("ben", "Ben")
    first_context, first = _signed_in(browser, live_portal.url, "amina", width)
    second_context, second = _signed_in(browser, live_portal.url, "ben", width)
    police = Briefing.objects.get(slug="police")
    try:
        _open(first, live_portal.url, police)
        first.get_by_label("Lock for").select_option(label="1 hour")
        first.get_by_label("Reason (shown to other editors)").fill("Rewriting the introduction")
        with first.expect_navigation():
            first.get_by_role("button", name="Lock", exact=True).click()
        expect(first.locator(".edit-lock-mine")).to_contain_text("Rewriting the introduction")

        second.goto(f"{live_portal.url}/admin/briefings/briefing/")
        row = second.locator("tr", has_text=police.title)
        expect(row).to_contain_text("Locked by Amina")
        _shot(second, f"conflict-lock-list-{width}")
        _open(second, live_portal.url, police)
        expect(second.locator(".edit-lock-other")).to_contain_text("Locked by Amina")
        _shot(second, f"conflict-lock-page-{width}", full_page=False)
        # The panel this change adds (the admin's own widgets are Django's).
        panel = Axe().run(second, context=".editing-panel", options=AXE_OPTIONS)
        assert panel.response["violations"] == []
        _append(second, "#id_intro", SECOND)
        _save(second)

        expect(second.locator(".errornote").first).to_contain_text("locked by Amina")
        police.refresh_from_db()
        assert SECOND not in police.intro
        expect(second.locator(".conflict-mine").first).to_contain_text(SECOND)
        assert axe_violations(second) == []
        _shot(second, f"conflict-locked-{width}")

        # The holder unlocks; the refused text, still on the page, then saves.
        with first.expect_navigation():
            first.get_by_role("button", name="Unlock").click()
        second.locator("section.conflict-field").first.get_by_label("Keep mine").check()
        with second.expect_navigation():
            second.get_by_role("button", name="Save with these choices").click()
        police.refresh_from_db()
        assert SECOND in police.intro
    finally:
        first_context.close()
        second_context.close()
