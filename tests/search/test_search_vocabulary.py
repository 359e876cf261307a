"""The spelling vocabulary ("Did you mean") stays exact through every kind of write: words come
and go with the text, in the same transaction, on both databases; a rebuild counts it once."""

import pytest
from django.core.management import call_command

from briefings.models import Briefing, GlossaryTerm, KeyMessage, Section
from briefings.search.engines import backend_for
from tests.support.search import make_document, outcome_of, recounted_vocabulary, vocabulary

pytestmark = pytest.mark.django_db


def barriers():
    return Section.objects.get(briefing__slug="police", key="barriers-to-engagement")


def test_an_edit_adds_and_removes_words_from_the_suggestions():
    section = barriers()
    original = section.body
    assert outcome_of(q="axolotyl").suggestion is None
    section.body = original + "\n\nAn axolotl paragraph."
    section.save()
    assert outcome_of(q="axolotyl").suggestion == "axolotl"
    assert backend_for().word_counts(["axolotl"]) == {"axolotl": 1}
    # The word the edit took away is no longer offered, so the nearest word still held is: a
    # word left behind would be suggested first and then find nothing.
    section.body = original + "\n\nTwo axolotls."
    section.save()
    assert backend_for().word_counts(["axolotl", "axolotls"]) == {"axolotls": 1}
    outcome = outcome_of(q="axolotyl")
    assert outcome.suggestion == "axolotls"
    assert outcome.hits[0].url == "/documents/police/barriers-to-engagement/"
    section.body = original
    section.save()
    assert backend_for().word_counts(["axolotl", "axolotls"]) == {}
    assert outcome_of(q="axolotyl").suggestion is None


def test_counts_follow_how_many_rows_hold_a_word():
    make_document("tapir-one", [("s1", "Tapirs", "A tapir.")])
    make_document("tapir-two", [("s1", "More", "Another tapir.")])
    assert backend_for().word_counts(["tapir", "tapirs"]) == {"tapir": 2, "tapirs": 1}
    Briefing.objects.get(slug="tapir-one").delete()
    assert backend_for().word_counts(["tapir", "tapirs"]) == {"tapir": 1}


def test_the_vocabulary_is_what_a_recount_gives_after_edits_and_deletes():
    section = barriers()
    section.heading = "Barriers to engagement with quokkas"
    section.body += "\n\n> “Quokkas and wombats.”\n>\n> — Young person"
    section.save()
    make_document(
        "wombat-notes",
        [("s1", "Wombats", "Wombat burrows."), ("s2", "More", "Numbats.")],
        key_messages=[("k1", "Wombats dig.")],
        references=[("r1", "A wombat survey")],
    )
    Section.objects.get(briefing__slug="wombat-notes", key="s2").delete()
    KeyMessage.objects.filter(briefing__slug="police").first().delete()
    GlossaryTerm.objects.get(term="CAMHS").delete()
    Briefing.objects.get(slug="multi-agency-working").delete()
    written = vocabulary()
    assert written["wombat"] == 2  # the section and the reference
    assert "numbats" not in written
    assert written == recounted_vocabulary()


def test_an_edit_rolled_back_leaves_the_vocabulary_as_it_was():
    from django.db import transaction

    before = vocabulary()
    with transaction.atomic():
        section = barriers()
        section.body = "Nothing but a capybara."
        section.save()
        assert backend_for().word_counts(["capybara"]) == {"capybara": 1}
        transaction.set_rollback(True)
    assert vocabulary() == before


def test_a_rebuild_counts_it_once_and_edits_after_it_are_counted_again():
    # A rebuild is a bulk write: the database may leave the vocabulary alone until its end
    # (PostgreSQL does), but not after it, even in the same transaction.
    call_command("rebuild_search_index", verbosity=0)
    assert vocabulary() == recounted_vocabulary()
    section = barriers()
    section.body += "\n\nA narwhal."
    section.save()
    assert backend_for().word_counts(["narwhal"]) == {"narwhal": 1}
    assert vocabulary() == recounted_vocabulary()
