"""Issue 22 in the admin: a save from an out-of-date form writes nothing and shows the conflict
page; the page resolves each field (keep mine, keep theirs, an edited merge) and saves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from briefings.editorial import conflicts, presence, services
from briefings.models import (
    Briefing,
    ChangeNote,
    EditRecord,
    GlossaryTerm,
    KeyMessage,
    Reference,
    Section,
    Theme,
)
from tests.support.admin_forms import briefing_form, form_data, get_form, row_index

pytestmark = pytest.mark.django_db

MINE = "A sentence the first editor added."
THEIRS = "A sentence the second editor added."


@pytest.fixture
def other_editor(db):
    user = User.objects.create_user("other-editor", password="x" * 20, is_staff=True)
    user.first_name, user.last_name = "Olu", "Adeyemi"
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def other_client(other_editor):
    other = Client()
    other.force_login(other_editor)
    return other


@pytest.fixture
def police():
    return Briefing.objects.get(slug="police")


def change_url(obj):
    return reverse(f"admin:briefings_{obj._meta.model_name}_change", args=[obj.pk])


def _resolve(client, response, url, **choices):
    """Post the conflict page back with a choice per field label (merge text for a merge)."""
    data = form_data(response.content.decode(), "conflict_form")
    for name in _as_list(data["_conflict"]):
        choice = choices.get(name, choices.get("*"))
        if isinstance(choice, tuple):
            data[f"_choice:{name}"], data[f"_merge:{name}"] = "merge", choice[1]
        else:
            data[f"_choice:{name}"] = choice
    return client.post(url, data)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_a_stale_document_save_writes_nothing_and_shows_both_texts(
    editor_client, other_client, police
):
    url = change_url(police)
    first = briefing_form(editor_client, police)
    second = briefing_form(other_client, police)
    original = police.intro
    first["intro"] = f"{original}\n\n{MINE}"
    second["intro"] = f"{original}\n\n{THEIRS}"
    assert editor_client.post(url, first).status_code == 302
    revisions_before = EditRecord.objects.count()

    refused = other_client.post(url, second)

    assert refused.status_code == 409
    police.refresh_from_db()
    assert MINE in police.intro
    assert THEIRS not in police.intro
    assert EditRecord.objects.count() == revisions_before
    page = refused.content.decode()
    assert "Nothing was saved" in page
    assert MINE in page
    assert THEIRS in page
    assert "Introduction" in page
    # Who saved in between, and when.
    assert "Saved since you opened it" in page
    assert "editor" in page
    assert [item.name for item in refused.context["conflicts"].fields] == ["intro"]


def test_keep_both_by_editing_the_merge_saves_both_sentences(editor_client, other_client, police):
    url = change_url(police)
    first, second = briefing_form(editor_client, police), briefing_form(other_client, police)
    original = police.intro
    first["intro"] = f"{original}\n\n{MINE}"
    second["intro"] = f"{original}\n\n{THEIRS}"
    editor_client.post(url, first)
    refused = other_client.post(url, second)

    both = f"{original}\n\n{MINE}\n\n{THEIRS}"
    saved = _resolve(other_client, refused, url, intro=("merge", both))

    assert saved.status_code == 302, saved.content.decode()[:2000]
    police.refresh_from_db()
    assert MINE in police.intro
    assert THEIRS in police.intro
    assert police.intro.startswith(original.rstrip()[:200])


def test_keep_theirs_and_keep_mine_take_the_chosen_text_per_field(
    editor_client, other_client, police
):
    url = change_url(police)
    first, second = briefing_form(editor_client, police), briefing_form(other_client, police)
    first["title"], first["source_note"] = "Title by the first editor", "Note by the first editor"
    second["title"], second["source_note"] = "Title by the second", "Note by the second"
    editor_client.post(url, first)
    refused = other_client.post(url, second)
    assert {item.name for item in refused.context["conflicts"].fields} == {
        "title",
        "source_note",
    }

    saved = _resolve(other_client, refused, url, title="theirs", source_note="mine")

    assert saved.status_code == 302
    police.refresh_from_db()
    assert police.title == "Title by the first editor"
    assert police.source_note == "Note by the second"


def test_a_conflict_page_sent_without_a_choice_saves_nothing_and_asks_again(
    editor_client, other_client, police
):
    url = change_url(police)
    first, second = briefing_form(editor_client, police), briefing_form(other_client, police)
    first["intro"], second["intro"] = MINE, THEIRS
    editor_client.post(url, first)
    refused = other_client.post(url, second)
    data = form_data(refused.content.decode(), "conflict_form")

    again = other_client.post(url, data)  # no choice made

    assert again.status_code == 409
    assert "Choose what to keep for every field" in again.content.decode()
    police.refresh_from_db()
    assert police.intro == MINE
    # Still the second editor's text on offer: nothing typed is lost.
    assert THEIRS in again.content.decode()


def test_a_section_edited_inline_conflicts_with_an_edit_saved_meanwhile(
    editor_client, other_client, police
):
    section = Section.objects.filter(briefing=police).exclude(body="").order_by("order").first()
    url = change_url(police)
    first, second = briefing_form(editor_client, police), briefing_form(other_client, police)
    index = row_index(first, "sections", "id", section.pk)
    body = f"sections-{index}-body"
    first[body] = f"{section.body}\n\n{MINE}"
    second[body] = f"{section.body}\n\n{THEIRS}"
    assert editor_client.post(url, first).status_code == 302

    refused = other_client.post(url, second)

    assert refused.status_code == 409
    assert [item.name for item in refused.context["conflicts"].fields] == [body]
    section.refresh_from_db()
    assert THEIRS not in section.body
    merged = f"{section.body}\n\n{THEIRS}"
    assert _resolve(other_client, refused, url, **{body: ("merge", merged)}).status_code == 302
    section.refresh_from_db()
    assert MINE in section.body
    assert THEIRS in section.body


def test_a_section_saved_on_its_own_page_conflicts_with_the_document_form(
    editor_client, other_client, police
):
    section = Section.objects.filter(briefing=police).exclude(body="").order_by("order").first()
    own_page = get_form(other_client, change_url(section), "section_form")
    document = briefing_form(editor_client, police)
    index = row_index(document, "sections", "id", section.pk)
    document[f"sections-{index}-body"] = f"{section.body}\n\n{MINE}"
    editor_client.post(change_url(police), document)

    own_page["body"] = f"{section.body}\n\n{THEIRS}"
    refused = other_client.post(change_url(section), own_page)

    assert refused.status_code == 409
    section.refresh_from_db()
    assert MINE in section.body
    assert THEIRS not in section.body


def test_an_import_while_the_form_was_open_makes_it_stale(
    editor_client, police, tmp_path, settings
):
    opened = briefing_form(editor_client, police)
    source = settings.BASE_DIR / "fixtures" / "briefings" / "police.md"
    changed = source.read_text().replace(
        police.intro.split("\n")[0], police.intro.split("\n")[0] + " Imported.", 1
    )
    copy = tmp_path / "police.md"
    copy.write_text(changed)
    call_command("import_briefings", str(copy), verbosity=0)
    police.refresh_from_db()
    assert "Imported." in police.intro

    opened["intro"] = f"{opened['intro']}\n\n{MINE}"
    refused = editor_client.post(change_url(police), opened)

    assert refused.status_code == 409
    assert "An import or script (no editor)" in refused.content.decode()
    police.refresh_from_db()
    assert MINE not in police.intro


def _checked_import(client, police, sentence):
    """The police document exported with ``sentence`` added to its introduction, uploaded and
    checked: the review page, not yet confirmed."""
    from briefings.content.exporter import export_briefing

    text = export_briefing(police).replace(police.intro, f"{police.intro}\n\n{sentence}", 1)
    upload = SimpleUploadedFile("police.md", text.encode())
    review = client.post(reverse("admin:briefings_briefing_import"), {"file": upload})
    assert review.context["check"].ok, review.context["check"].errors
    return review


def _confirm_import(client, review):
    data = form_data(review.content.decode(), "import_review_form") | {"_confirm": "1"}
    return client.post(reverse("admin:briefings_briefing_import_review"), data)


def test_an_import_checked_before_another_editors_save_is_refused_and_checked_again(
    editor_client, other_client, police
):
    review = _checked_import(editor_client, police, MINE)
    opened = briefing_form(other_client, police)
    opened["intro"] = f"{opened['intro']}\n\n{THEIRS}"
    assert other_client.post(change_url(police), opened).status_code == 302

    refused = _confirm_import(editor_client, review)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Nothing was imported: the document was saved since you checked this file" in page
    assert "Olu Adeyemi" in page
    police.refresh_from_db()
    assert THEIRS in police.intro
    assert MINE not in police.intro
    # The page shown again is the check against the document as it is now; confirming it
    # imports the file (the editor has seen what it changes).
    assert _confirm_import(editor_client, refused).status_code == 302
    police.refresh_from_db()
    assert MINE in police.intro


def test_an_import_confirmed_with_no_save_in_between_is_imported(editor_client, police):
    review = _checked_import(editor_client, police, MINE)
    assert _confirm_import(editor_client, review).status_code == 302
    police.refresh_from_db()
    assert MINE in police.intro


def test_an_import_cannot_drop_the_versions_it_was_checked_at(editor_client, other_client, police):
    review = _checked_import(editor_client, police, MINE)
    data = form_data(review.content.decode(), "import_review_form") | {"_confirm": "1"}
    data["versions"] = "{}"

    response = editor_client.post(reverse("admin:briefings_briefing_import_review"), data)

    assert response.status_code == 200
    assert "The text changed since it was checked" in response.content.decode()
    police.refresh_from_db()
    assert MINE not in police.intro


def test_an_import_into_a_document_another_editor_locked_is_refused(
    editor_client, other_editor, police
):
    presence.lock(police, other_editor, minutes=30, reason="Checking citations")
    review = _checked_import(editor_client, police, MINE)

    refused = _confirm_import(editor_client, review)

    assert refused.status_code == 200
    assert "is locked by Olu Adeyemi" in refused.content.decode()
    police.refresh_from_db()
    assert MINE not in police.intro


def test_a_service_write_makes_an_open_form_stale(editor_client, other_editor, police):
    opened = briefing_form(editor_client, police)
    services.mark_reviewed(police, other_editor)
    opened["intro"] = MINE
    assert editor_client.post(change_url(police), opened).status_code == 409


@pytest.mark.parametrize(
    ("model", "field", "form_id"),
    [
        (Theme, "description", "theme_form"),
        (Reference, "title", "reference_form"),
        (GlossaryTerm, "note", "glossaryterm_form"),
        (ChangeNote, "note", "changenote_form"),
        (KeyMessage, "text", "keymessage_form"),
    ],
)
def test_every_content_admin_form_refuses_a_stale_save(
    editor_client, other_client, model, field, form_id, police
):
    obj = _editable(model, police)
    url = change_url(obj)
    first, second = get_form(editor_client, url, form_id), get_form(other_client, url, form_id)
    assert "_edit_version" in first
    first[field], second[field] = MINE, THEIRS
    assert editor_client.post(url, first).status_code == 302

    refused = other_client.post(url, second)

    assert refused.status_code == 409
    obj.refresh_from_db()
    assert getattr(obj, field) == MINE
    assert _resolve(other_client, refused, url, **{"*": "mine"}).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == THEIRS


def _editable(model, police):
    if model is ChangeNote:
        return ChangeNote.objects.create(briefing=police, note="A note.")
    if model is KeyMessage:
        return KeyMessage.objects.filter(briefing=police).first()
    if model is Reference:
        return Reference.objects.create(key="uncited-work", authors="Someone", year="2020")
    if model is GlossaryTerm:
        return GlossaryTerm.objects.create(term="ZZQ", expansion="A term no document defines")
    return model.objects.first()


def test_a_stale_revert_reverts_nothing_and_says_who_saved(editor_client, other_editor, police):
    services.mark_reviewed(police, other_editor)  # a revision to go back to
    version = services.selectors.document_versions(police).first()
    url = reverse("admin:briefings_briefing_revert", args=[police.pk, version.pk])
    opened = get_form(editor_client, url, "revert_form")
    assert "_edit_version" in opened
    services.return_to_draft(police, other_editor)  # another editor's save meanwhile
    status = Briefing.objects.get(pk=police.pk).status

    response = editor_client.post(url, opened, follow=True)

    assert "Not reverted" in response.content.decode()
    assert "Olu Adeyemi" in response.content.decode()
    assert Briefing.objects.get(pk=police.pk).status == status
    # The page shown again carries the new version, so reverting again works.
    again = form_data(response.content.decode(), "revert_form")
    assert editor_client.post(url, again).status_code == 302
    assert Briefing.objects.get(pk=police.pk).status != status


def test_the_version_check_ignores_a_form_shown_again_with_errors(
    editor_client, other_client, police
):
    url = change_url(police)
    first, second = briefing_form(editor_client, police), briefing_form(other_client, police)
    first["intro"] = MINE
    editor_client.post(url, first)
    second["title"] = ""  # an error: the form comes back, still at the version it was opened at
    shown_again = other_client.post(url, second)
    assert shown_again.status_code == 200
    again = form_data(shown_again.content.decode(), "briefing_form")
    assert again["_edit_version"] == second["_edit_version"]
    again["title"], again["intro"] = police.title, THEIRS
    assert other_client.post(url, again).status_code == 409


def test_saves_move_the_version_once_each(editor_client, police):
    key = conflicts.document_key(police.pk)
    before = conflicts.current_version(key)
    data = briefing_form(editor_client, police)
    data["intro"] = MINE
    editor_client.post(change_url(police), data)
    assert conflicts.current_version(key) == before + 1
    assert EditRecord.objects.filter(key=key).latest("version").user.username == "editor"
