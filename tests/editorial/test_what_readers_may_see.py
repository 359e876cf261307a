"""The rules every public page reads through (the QuerySets' ``published`` and ``public``): a
document is for readers when it is published and its publish date, if any, has come; a section
when it, its parent and its document are; a key message, change note or glossary term when its
document is. A role narrows a list to its documents and no role leaves it whole."""

import datetime

from briefings.models import (
    Briefing,
    ChangeNote,
    GlossaryTerm,
    KeyMessage,
    Role,
    Section,
    Status,
)

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


def _published(slug, now=NOW):
    return Briefing.objects.published(now).filter(slug=slug).exists()


def test_a_draft_document_is_not_published(db):
    assert _published("police")
    Briefing.objects.filter(slug="police").update(status=Status.DRAFT)
    assert not _published("police")


def test_a_scheduled_document_is_published_from_its_publish_date_on(db):
    Briefing.objects.filter(slug="police").update(publish_from=NOW)
    assert not _published("police", NOW - SECOND)
    assert _published("police", NOW)
    assert _published("police", NOW + SECOND)


def test_without_a_moment_the_rules_apply_now(db):
    Briefing.objects.filter(slug="police").update(
        publish_from=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    )
    police = Briefing.objects.get(slug="police")
    assert police not in Briefing.objects.published()
    assert not Section.objects.published().filter(briefing=police).exists()
    assert not KeyMessage.objects.published().filter(briefing=police).exists()
    assert not ChangeNote.objects.public().filter(briefing=police).exists()


def test_sections_and_key_messages_follow_their_document_at_the_moment_asked(db):
    Briefing.objects.filter(slug="police").update(publish_from=NOW)
    police = Briefing.objects.get(slug="police")
    for queryset in (Section.objects, KeyMessage.objects):
        assert not queryset.published(NOW - SECOND).filter(briefing=police).exists()
        assert queryset.published(NOW).filter(briefing=police).exists()


def test_a_draft_section_and_the_sub_sections_under_it_are_not_published(db):
    parent = Section.objects.filter(children__isnull=False).order_by("pk").first()
    child = parent.children.first()
    sibling = Section.objects.filter(briefing=parent.briefing, parent=None).exclude(pk=parent.pk)[0]
    published = Section.objects.published(NOW)
    assert {parent, child, sibling} <= set(published)

    Section.objects.filter(pk=parent.pk).update(status=Status.DRAFT)
    assert parent not in published.all()
    assert child not in published.all()
    assert sibling in published.all()

    Section.objects.filter(pk=parent.pk).update(status=Status.PUBLISHED)
    Section.objects.filter(pk=child.pk).update(status=Status.DRAFT)
    assert parent in published.all()
    assert child not in published.all()


def test_a_role_narrows_each_list_to_its_documents_and_no_role_keeps_it_whole(db):
    police = Role.objects.get(slug="police")
    for queryset, to_document in (
        (Briefing.objects.all(), "pk"),
        (Section.objects.all(), "briefing"),
        (KeyMessage.objects.all(), "briefing"),
    ):
        assert queryset.for_role(None).count() == queryset.count()
        expected = queryset.filter(**{f"{to_document}__in": police.briefings.all()})
        assert set(queryset.for_role(police)) == set(expected)
        assert 0 < len(expected) < queryset.count()


def _note(briefing, created, public=True):
    return ChangeNote.objects.create(
        briefing=briefing, created=created, note="A change readers are told about.", public=public
    )


def test_change_notes_shown_are_public_dated_up_to_the_moment_and_newest_first(db):
    police = Briefing.objects.get(slug="police")
    police.change_notes.all().delete()
    same_moment = [_note(police, NOW), _note(police, NOW)]
    older = _note(police, NOW - 2 * SECOND)  # written last, dated first
    _note(police, NOW + SECOND)
    _note(police, NOW - SECOND, public=False)

    shown = list(police.change_notes.shown(NOW))

    # Newest first; of two at the same moment, the later written first.
    assert shown == [same_moment[1], same_moment[0], older]


def test_change_notes_shown_without_a_moment_are_those_dated_up_to_now(db):
    police = Briefing.objects.get(slug="police")
    ahead = _note(police, datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1))
    past = _note(police, NOW)
    assert past in police.change_notes.shown()
    assert ahead not in police.change_notes.shown()


def test_public_change_notes_are_those_of_published_documents_not_dated_ahead(db):
    police = Briefing.objects.get(slug="police")
    shown = _note(police, NOW)
    withdrawn = _note(police, NOW, public=False)
    ahead = _note(police, NOW + SECOND)
    public = ChangeNote.objects.public(NOW)
    assert shown in public
    assert withdrawn not in public
    assert ahead not in public

    Briefing.objects.filter(pk=police.pk).update(publish_from=NOW + SECOND)
    assert shown not in ChangeNote.objects.public(NOW)
    assert shown in ChangeNote.objects.public(NOW + SECOND)


def test_a_glossary_term_only_a_draft_defines_is_hidden(db):
    term = GlossaryTerm.objects.filter(defined_in__isnull=False).first()
    definers = Briefing.objects.filter(glossary_terms=term)
    assert term in GlossaryTerm.objects.public(NOW)

    definers.update(publish_from=NOW)
    assert term not in GlossaryTerm.objects.public(NOW - SECOND)
    assert term in GlossaryTerm.objects.public(NOW)

    definers.update(status=Status.DRAFT)
    assert term not in GlossaryTerm.objects.public(NOW)


def test_a_glossary_term_no_document_defines_is_public(db):
    term = GlossaryTerm.objects.create(term="XYZ", expansion="An editor's own term")
    assert term in GlossaryTerm.objects.public(NOW)
