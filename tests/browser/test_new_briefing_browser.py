"""A new briefing from the admin alone, as an editor with only the Editors group would make it:
once by importing a file, once by typing into the forms (generated keys, pasted references).
Each is previewed, published, and then found by a reader on its role page and in search. The
admin pages this adds pass axe-core, and no element is wider than the window."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from briefings.models import Briefing, Status
from tests.support.axe import axe_violations
from tests.support.briefing_files import briefing_file
from tests.support.word import briefing_docx

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"
ROLE = "schools"  # no curated document is for this role, so the new one is easy to tell apart
# Elements wider than the window (the page itself, or one that sticks out of it).
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).filter(el => !el.closest('.visually-hidden, .sr-only, [hidden]'));
  return {
    page: document.documentElement.scrollWidth - width,
    elements: wide.slice(0, 5).map(el => el.tagName + '#' + el.id + '.' + el.className),
  };
}"""


def _shot(page, name):
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"new-briefing-{name}.png"), full_page=True)


def _fits(page):
    layout = page.evaluate(OVERFLOW_JS)
    assert layout == {"page": 0, "elements": []}, page.url


def _checked(page, name):
    """The page an editor is on passes axe and fits the window."""
    assert axe_violations(page) == [], page.url
    _fits(page)
    _shot(page, name)


def _sign_in(page, base_url):
    editor = User.objects.create_user("new-editor", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    page.goto(f"{base_url}/admin/login/?next=/admin/briefings/briefing/")
    page.fill("#id_username", "new-editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _publish_from_the_list(page, title):
    page.locator(".breadcrumbs").get_by_role("link", name="Documents").click()
    row = page.locator("#result_list tr", has_text=title)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "publish_selected")
    page.get_by_role("button", name="Go", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 document.")


def _reader_finds(browser, base_url, title, word):
    context = browser.new_context()
    reader = context.new_page()
    reader.goto(f"{base_url}/roles/{ROLE}/")
    link = reader.get_by_role("link", name=title).first
    expect(link).to_be_visible()
    reader.goto(f"{base_url}/search/?q={word}")
    expect(reader.get_by_role("link", name=title).first).to_be_visible()
    context.close()


def test_an_editor_imports_a_file_previews_and_publishes_it(live_portal, page, browser):
    title = "Key messages: Youth workers in the community"
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, live_portal.url)

    page.get_by_role("link", name="Import a briefing file").click()
    _checked(page, "import-1280")
    text = briefing_file(slug="youth-workers", title=title, audience=ROLE)
    text = text.replace("Text of section 1,", "Detached youthwork: text of section 1,")
    page.set_input_files(
        "#id_file",
        {"name": "youth-workers.md", "mimeType": "text/markdown", "buffer": text.encode()},
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="What importing will do")).to_be_visible()
    expect(page.locator(".import-documents caption")).to_contain_text("Creates a new document")
    expect(page.locator(".import-report")).to_contain_text("would have created 4 sections")
    assert not Briefing.objects.filter(slug="youth-workers").exists()
    _checked(page, "review-1280")

    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("It is a draft")
    briefing = Briefing.objects.get(slug="youth-workers")
    assert briefing.status == Status.DRAFT
    assert (briefing.sections.count(), briefing.key_messages.count()) == (4, 3)
    assert briefing.citations.count() == 10

    page.get_by_role("link", name="View preview").click()
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.go_back()

    _publish_from_the_list(page, title)
    _reader_finds(browser, live_portal.url, title, "youthwork")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_starts_from_word_curates_the_text_and_publishes_it(
    live_portal, page, browser, width
):
    """The .docx (built by python-docx in tests/support/word.py) has a title, key messages,
    four sections with lists, a quote and a sub-section, and ten references and a line that is
    not one; the review step shows the converted text for the editor to correct."""
    title = "Key messages from research on exploitation: Youth workers in the community"
    word = "detachedwork"
    page.set_viewport_size({"width": width, "height": 800})
    _sign_in(page, live_portal.url)

    page.get_by_role("link", name="Import from Word").click()
    _checked(page, f"word-{width}")
    page.set_input_files(
        "#id_file", {"name": "youth-workers.docx", "mimeType": DOCX, "buffer": briefing_docx()}
    )
    # The title left empty: the document's first heading is the title.
    page.get_by_role("checkbox", name="Professionals in schools").focus()
    page.keyboard.press("Space")
    page.get_by_label("Theme for every section").select_option(label="Barriers to disclosure")
    page.get_by_role("button", name="Convert and check").click()

    expect(page.get_by_role("heading", name="What importing will do")).to_be_visible()
    plan = page.locator(".import-documents")
    expect(plan.locator("caption")).to_contain_text(f"Creates a new document “{title}”")
    expect(plan.get_by_role("row", name="Key messages")).to_contain_text("3")
    expect(plan.get_by_role("row", name="References")).to_contain_text("10")
    text = page.get_by_label("The briefing as a content file")
    converted = text.input_value()
    # What the conversion could not carry is said in the text itself, for the editor.
    assert "# Not read as a reference (line 11): A line that is not a reference" in converted
    assert "> “They listened to me.”" in converted
    assert not Briefing.objects.filter(title=title).exists()
    _checked(page, f"word-review-{width}")

    # The editor corrects the text, checks it again, then creates the draft.
    text.fill(converted.replace("Paragraph of section 1 cites", f"A {word} paragraph cites", 1))
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="What importing will do")).to_be_visible()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator(".messagelist")).to_contain_text("It is a draft")
    # The document's page: its tables of key messages and references scroll inside their own
    # box in a narrow window; the page itself does not.
    assert axe_violations(page) == [], page.url
    assert page.evaluate(OVERFLOW_JS)["page"] == 0
    _shot(page, f"word-draft-{width}")
    briefing = Briefing.objects.get(title=title)
    assert briefing.status == Status.DRAFT
    assert briefing.source_file == "youth-workers.docx"
    assert briefing.sections.filter(parent=None).count() == 4
    assert (briefing.key_messages.count(), briefing.citations.count()) == (3, 10)
    assert word in briefing.sections.order_by("order").first().body

    page.get_by_role("link", name="View preview").click()
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("blockquote").filter(has_text="They listened to me.")).to_be_visible()
    page.go_back()

    _publish_from_the_list(page, title)
    _reader_finds(browser, live_portal.url, title, word)


def _choose_theme(page, row_prefix, name):
    """The themes field is the admin's autocomplete: type, then pick the suggestion."""
    page.locator(f"#{row_prefix}-themes + .select2 .select2-selection").click()
    page.keyboard.type(name[:6])
    page.locator(".select2-results__option", has_text=name).first.click()


def _add_rows(page, group, label, count):
    closed = page.locator(f"#{group}-group details:not([open]) > summary")
    if closed.count():
        closed.first.click()  # an inline shown folded: open it as an editor would
    for _ in range(count):
        page.locator(f"#{group}-group .add-row a").click()
    expect(page.locator(f"#{group}-group .dynamic-{group}")).to_have_count(count)


REFERENCES = "\n".join(
    f"Writer{chr(97 + n)}, A. and Second, B. ({2010 + n}) *Study number {n} of youth work* "
    "London: Example Press"
    for n in range(10)
)


def test_an_editor_types_a_briefing_into_the_forms_previews_and_publishes_it(
    live_portal, page, browser
):
    title = "Key messages: Sports coaches and trusted adults in community clubs everywhere"
    page.set_viewport_size({"width": 1024, "height": 768})
    _sign_in(page, live_portal.url)
    page.locator(".object-tools a.addlink").click()

    page.fill("#id_title", title)
    page.select_option("#id_audiences_from", label="Professionals in schools")
    page.locator("#id_audiences_add").click()
    page.fill("#id_intro", "A briefing for sports coaches.")
    _add_rows(page, "key_messages", "Key message", 3)
    for n in range(3):
        page.fill(f"#id_key_messages-{n}-text", f"Coaches can notice change number {n + 1}.")
        _choose_theme(page, f"id_key_messages-{n}", "Relationship-based practice")
    _add_rows(page, "sections", "Section", 4)
    for n in range(4):
        page.fill(f"#id_sections-{n}-heading", f"What coaches see, part {n + 1}")
        page.fill(f"#id_sections-{n}-body", f"Coachingclub staff often notice first ({n + 1}).")
        _choose_theme(page, f"id_sections-{n}", "Vulnerability and indicators")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    briefing = Briefing.objects.get(title=title)
    # Nothing had to be invented: the slug (at most 60 characters, whole words) and every key.
    assert briefing.slug == "key-messages-sports-coaches-and-trusted-adults-in-community"
    assert [s.key for s in briefing.sections.order_by("order")] == [
        f"what-coaches-see-part-{n}" for n in range(1, 5)
    ]
    assert briefing.key_messages.filter(key="coaches-can-notice-change-number-1").exists()
    assert briefing.status == Status.DRAFT

    page.get_by_role("link", name="Paste references").click()
    _checked(page, "paste-1024")
    page.fill("#id_text", REFERENCES)
    page.get_by_role("button", name="Read the list").click()
    expect(page.locator(".reference-table caption")).to_contain_text("10 to add")
    _checked(page, "paste-table-1024")
    page.get_by_role("button", name="Add 10 references").click()
    expect(page.locator(".messagelist")).to_contain_text("Added 10 references")
    assert briefing.citations.count() == 10

    # A citation to a reference the document does not have is a form error (issue 16, item 3),
    # so the editor cites the works once they are pasted.
    page.goto(f"{live_portal.url}/admin/briefings/briefing/{briefing.pk}/change/")
    page.fill(
        "#id_sections-0-body",
        "Coachingclub staff often notice first ([Writera and Second, 2010]"
        "(cite:writera-second-2010)).",
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="View preview").click()
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    work = briefing.citations.get(local_key="writera-second-2010").reference.key
    citation = page.get_by_role("link", name="Writera and Second, 2010")
    # The citation links to the pasted entry.
    expect(citation).to_have_attribute(
        "href", re.compile(f"/documents/{briefing.slug}/#ref-{work}$")
    )
    page.go_back()

    _publish_from_the_list(page, title)
    _reader_finds(browser, live_portal.url, title, "coachingclub")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_new_briefing_pages_pass_axe_and_fit_the_window(live_portal, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    _sign_in(page, live_portal.url)
    page.goto(f"{live_portal.url}/admin/briefings/briefing/import/word/")
    _checked(page, f"word-{width}")
    page.get_by_role("button", name="Convert and check").click()
    expect(page.locator(".errornote")).to_be_visible()
    _checked(page, f"word-errors-{width}")
    page.goto(f"{live_portal.url}/admin/briefings/briefing/import/")
    bad = briefing_file().replace("{key=section-2 ", "{")
    page.set_input_files(
        "#id_file", {"name": "bad.md", "mimeType": "text/markdown", "buffer": bad.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".import-errors")).to_contain_text("needs a key=")
    _checked(page, f"review-errors-{width}")
    police = Briefing.objects.get(slug="police")
    page.goto(f"{live_portal.url}/admin/briefings/briefing/{police.pk}/paste-references/")
    page.fill("#id_text", REFERENCES + "\nNot a reference")
    page.get_by_role("button", name="Read the list").click()
    expect(page.locator(".reference-table .unread")).to_have_count(1)
    _checked(page, f"paste-table-{width}")
