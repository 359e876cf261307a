"""manage.py generate_corpus: a synthetic corpus N times the real one, for benchmarks only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from briefings.models import Briefing, KeyMessage, SearchEntry, Section
from briefings.search import corpus
from tests.support.search import outcome_of, recounted_vocabulary, vocabulary

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_corpus", *args, "--force", stdout=out)
    return out.getvalue()


def test_it_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="does not contain 'bench'"):
        call_command("generate_corpus", "--scale", "2")
    assert not corpus.synthetic_briefings().exists()


def test_it_needs_a_scale_of_at_least_one():
    with pytest.raises(CommandError, match="at least 1"):
        generate("--scale", "0")


def test_scale_three_adds_two_marked_copies_of_every_real_document():
    real = Briefing.objects.count()
    sections = Section.objects.count()
    output = generate("--scale", "3")
    copies = corpus.synthetic_briefings()
    assert copies.count() == 2 * real
    assert f"Added {2 * real} synthetic briefing(s)" in output
    assert all(b.slug.startswith("synthetic-") for b in copies)
    assert all(b.title.startswith("[Synthetic ") for b in copies)
    assert Section.objects.count() == 3 * sections
    assert (
        KeyMessage.objects.filter(briefing__in=copies).count()
        == 2 * KeyMessage.objects.exclude(briefing__in=copies).count()
    )


def test_the_copies_rearrange_the_real_text_and_are_searchable():
    generate("--scale", "2")
    copy = Briefing.objects.get(slug="synthetic-0001-police")
    original = Briefing.objects.get(slug="police")
    assert list(copy.audiences.all()) == list(original.audiences.all())
    copied = {s.key: s.body for s in copy.sections.all()}
    real = {s.key: s.body for s in original.sections.all()}
    assert sorted(copied.values()) == sorted(real.values())
    assert copied != real  # bodies moved between sections
    assert SearchEntry.objects.filter(briefing=copy).exists()
    assert outcome_of(q="victimless").total == 2


def test_a_smaller_scale_removes_the_extra_copies_and_clear_removes_them_all():
    generate("--scale", "3")
    real = corpus.real_briefings().count()
    generate("--scale", "2")
    assert corpus.synthetic_briefings().count() == real
    assert not corpus.synthetic_briefings().filter(slug__startswith="synthetic-0002-").exists()
    output = generate("--clear")
    assert f"Removed {real} synthetic briefing(s)." in output
    assert not SearchEntry.objects.filter(briefing__slug__startswith="synthetic-").exists()
    assert outcome_of(q="victimless").total == 1


def test_the_copies_words_are_counted_once_the_copies_are_written():
    # generate_corpus writes in bulk and counts the spelling vocabulary at its end (PostgreSQL
    # leaves it alone until then): the counts are those of every row, copies included.
    before = vocabulary()["victimless"]
    generate("--scale", "3")
    written = vocabulary()
    assert written["victimless"] == 3 * before
    assert written == recounted_vocabulary()
