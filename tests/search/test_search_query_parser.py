"""The search box's query language: what the reader types becomes a small tree, compiled per engine
without ever passing their text to a query parser."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.search.engines.postgres import compile_tsquery
from briefings.search.engines.sqlite import compile_fts5
from briefings.search.query import (
    MAX_CLAUSES,
    AllOf,
    AnyOf,
    Glossary,
    Phrase,
    Query,
    Term,
    parse,
    respell_text,
)
from briefings.search.spelling import edit_distance, suggest

GLOSSARY = Glossary(
    [
        ("CAMHS", "Child and Adolescent Mental Health Services"),
        ("HMIC", "Her Majesty's Inspectorate of Constabulary"),
        ("IT", "Information Technology"),
        ("A&E", "Accident and Emergency"),
    ]
)


def test_plain_words_must_all_match_and_the_last_is_also_a_prefix():
    query = parse("grooming online images")
    assert query.must == (Term("grooming"), Term("online"), Term("images", prefix=True))
    assert query.must_not == ()


def test_the_last_word_is_not_a_prefix_once_the_reader_has_typed_a_space_after_it():
    assert parse("grooming ").must == (Term("grooming"),)


def test_short_last_words_are_not_prefixes_because_they_would_match_almost_everything():
    assert parse("police ab").must == (Term("police"), Term("ab"))


def test_a_trailing_star_asks_for_a_prefix_anywhere():
    assert parse("exploit* police ").must == (Term("exploit", prefix=True), Term("police"))


def test_words_are_lower_cased_and_possessives_dropped():
    assert parse("Young Carer's ").must == (Term("young"), Term("carer"))


def test_common_words_are_dropped_and_reported_so_a_typed_question_still_finds_its_answer():
    query = parse("what if the young person will not talk to us?")
    assert query.words() == ("young", "person", "talk")
    assert {"what", "if", "the", "will", "not", "to", "us?"} <= set(query.dropped_stop_words)


def test_a_query_of_only_common_words_has_nothing_to_search_for():
    assert parse("the and of").is_empty


def test_quoted_words_are_an_exact_phrase():
    assert parse('"professional curiosity" police ').must == (
        Phrase(("professional", "curiosity")),
        Term("police"),
    )


def test_an_unclosed_quote_runs_to_the_end_of_the_text():
    assert parse('police "sexual health').must == (
        Term("police"),
        Phrase(("sexual", "health")),
    )


def test_a_lone_quote_or_operator_is_not_an_error_but_nothing_to_search_for():
    for text in ['"', '""', "-", "*", "OR", "OR OR", "- * OR", "()", "^", "{}:"]:
        assert parse(text).is_empty, text


def test_other_engines_operators_are_plain_text_here():
    # Words joined by punctuation stay together, as they are in the text; AND and NOT are
    # common words.
    assert parse("NEAR(grooming AND online) NOT col:images ").must == (
        Phrase(("near", "grooming")),
        Term("online"),
        Phrase(("col", "images")),
    )


def test_minus_excludes_a_word_or_a_phrase():
    query = parse('police -schools -"sexual health" ')
    assert query.must == (Term("police"),)
    assert query.must_not == (Term("schools"), Phrase(("sexual", "health")))


def test_exclusions_alone_search_for_nothing_and_say_so():
    query = parse("-police")
    assert query.is_empty
    assert query.only_exclusions


def test_or_joins_its_neighbours_and_binds_tighter_than_the_implicit_and():
    query = parse("parents missing OR runaway ")
    assert query.must == (Term("parents"), AnyOf((Term("missing"), Term("runaway"))))


def test_lower_case_or_is_an_ordinary_word_and_a_dangling_or_is_ignored():
    assert parse("missing or runaway ").must == (Term("missing"), Term("runaway"))
    assert parse("OR missing OR ").must == (Term("missing"),)


def test_an_or_next_to_an_exclusion_does_not_join_them():
    query = parse("police OR -schools ")
    assert query.must == (Term("police"),)
    assert query.must_not == (Term("schools"),)


def test_hyphenated_words_become_phrases_of_their_parts():
    assert parse("multi-agency ").must == (Phrase(("multi", "agency")),)


def test_an_acronym_also_searches_for_its_expansion():
    query = parse("camhs", GLOSSARY)
    assert query.must == (
        AnyOf(
            (Term("camhs"), Phrase(("child", "and", "adolescent", "mental", "health", "services")))
        ),
    )
    assert [e.term for e in query.expansions] == ["CAMHS"]


def test_an_expansion_typed_out_also_searches_for_its_acronym():
    query = parse("waiting times child and adolescent mental health services", GLOSSARY)
    assert query.must[:2] == (Term("waiting"), Term("times"))
    assert query.must[2] == AnyOf(
        (Term("camhs"), Phrase(("child", "and", "adolescent", "mental", "health", "services")))
    )


def test_an_expansion_with_a_possessive_is_recognised_whichever_apostrophe_is_typed():
    for text in [
        "her majesty's inspectorate of constabulary",
        "Her Majesty’s Inspectorate of Constabulary",
    ]:
        query = parse(text, GLOSSARY)
        assert query.must[0].options[0] == Term("hmic"), text


def test_a_common_word_is_only_an_acronym_when_typed_in_capitals():
    assert parse("is it safe ", GLOSSARY).must == (Term("safe"),)
    assert parse("IT systems ", GLOSSARY).must[0].options[0] == Term("it")


def test_an_acronym_with_punctuation_is_recognised():
    query = parse("A&E", GLOSSARY)
    assert query.must[0].options[1] == Phrase(("accident", "and", "emergency"))


def test_an_excluded_acronym_excludes_its_expansion_too():
    query = parse("support -CAMHS", GLOSSARY)
    assert isinstance(query.must_not[0], AnyOf)
    assert query.expansions == ()


def test_long_input_is_cut_to_a_bounded_query():
    query = parse(" ".join(f"word{i}" for i in range(2000)))
    assert query.truncated
    assert len(query.must) == MAX_CLAUSES


def test_control_characters_and_emoji_never_reach_the_tree():
    query = parse("\x00police\x02 \U0001f600 safe\u200b ")
    assert query.words() == ("police", "safe")


def test_a_misspelling_is_replaced_in_the_tree_and_in_the_readers_own_text():
    query = parse('vulnerabilty "grooming proces"')
    fixed = query.respell({"vulnerabilty": "vulnerability", "proces": "process"})
    assert fixed.words() == ("vulnerability", "grooming", "process")
    assert (
        respell_text('Vulnerabilty "grooming proces"', {"vulnerabilty": "vulnerability"})
        == 'vulnerability "grooming proces"'
    )


def holds(node, present: set[str]) -> bool:
    """Whether a query tree matches a row holding exactly the words in `present`."""
    if isinstance(node, Term):
        return node.word in present
    if isinstance(node, AnyOf):
        return any(holds(option, present) for option in node.options)
    if isinstance(node, AllOf):
        return all(holds(part, present) for part in node.parts)
    raise TypeError(node)


@given(
    words=st.integers(min_value=3, max_value=9),
    data=st.data(),
)
def test_closest_results_need_every_word_but_one(words, data):
    names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"][
        :words
    ]
    query = parse(" ".join(names) + " ")
    present = data.draw(st.sets(st.sampled_from(names)))
    (tree,) = query.all_but_one().must
    assert holds(tree, present) == (len(present) >= words - 1)


def test_closest_results_write_the_commonest_word_once():
    query = parse("alpha bravo charlie delta echo ")
    tree = query.all_but_one({"charlie": 900, "alpha": 5, "echo": 40})
    written = tree.words()
    # The k-th commonest word is written k times (the last two, n - 1 times).
    assert [written.count(w) for w in ("charlie", "echo", "alpha")] == [1, 2, 3]
    assert written.count("bravo") == written.count("delta") == 4


def test_closest_results_write_each_word_about_half_as_often_as_there_are_words():
    query = parse("alpha beta gamma delta epsilon zeta eta ")
    # Each of the 7 words is written at most 6 times, 27 in all, not 6 times each (42).
    assert len(query.all_but_one().words()) == 27
    assert query.relaxed().must == (AnyOf(tuple(Term(w) for w in query.words())),)


@pytest.mark.parametrize(
    ("word", "other", "distance"),
    [
        ("grooming", "grooming", 0),
        ("groming", "grooming", 1),
        ("recieve", "receive", 1),
        ("abc", "xyz", 3),
    ],
)
def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit(word, other, distance):
    assert edit_distance(word, other) == distance


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abcde", max_size=9),
    st.text(alphabet="abcde", max_size=9),
    st.integers(min_value=0, max_value=3),
)
def test_a_limited_edit_distance_is_exact_up_to_the_limit(word, other, limit):
    assert edit_distance(word, other, limit=limit) == min(edit_distance(word, other), limit + 1)


def test_fts5_compilation_quotes_every_word_and_uses_only_fts5_operators():
    query = Query(
        must=(
            Term("police"),
            AnyOf((Term("missing"), Phrase(("going", "missing")))),
            Term("expl", prefix=True),
        ),
        must_not=(Term("schools"),),
    )
    assert compile_fts5(query) == (
        '("police" AND ("missing" OR "going missing") AND "expl" *) NOT "schools"'
    )


def test_tsquery_compilation_quotes_every_lexeme_and_uses_only_tsquery_operators():
    query = Query(
        must=(Term("police"), AnyOf((Term("missing"), Phrase(("going", "missing", "on"))))),
        must_not=(Phrase(("sexual", "health"), prefix=True),),
    )
    assert compile_tsquery(query) == (
        "'police' & ('missing' | ('going' <-> 'missing' <-> 'on')) & !('sexual' <-> 'health':*)"
    )


@pytest.mark.parametrize("compile_", [compile_fts5, compile_tsquery])
def test_a_word_that_is_not_letters_and_digits_is_refused_rather_than_compiled(compile_):
    with pytest.raises(ValueError, match="unsafe"):
        compile_(Query(must=(Term('x" OR "y'),)))


class Vocabulary:
    """A backend's spelling vocabulary, without a database."""

    def __init__(self, words):
        self.words = words

    def word_counts(self, words):
        return {w: self.words[w] for w in words if w in self.words}

    def vocabulary(self, windows):
        return self.words

    def same_to_the_index(self, corrections):
        return set()  # no stemmer here: every correction is another word


def test_a_suggestion_is_never_a_token_a_search_cannot_hold():
    # PostgreSQL's 'simple' parser keeps "and/or" whole; offering it made a 500 ("ANDOR").
    for words, typed, expected in [
        ({"and/or": 9}, "andor", {}),
        ({"and/or": 9, "anchor": 1}, "ancor", {"ancor": "anchor"}),
    ]:
        vocabulary, query = Vocabulary(words), parse(typed)
        assert suggest(vocabulary, query, vocabulary.word_counts(query.words())) == expected


def test_a_typed_word_also_finds_its_irregular_forms_which_stemming_cannot_join():
    query = parse("young person goes missing ")
    people = AnyOf((Term("person"), Term("people", form=True), Term("persons", form=True)))
    going = AnyOf(
        (
            Term("goes"),
            *(Term(w, form=True) for w in ("go", "going", "gone", "went")),
        )
    )
    assert query.must == (Term("young"), people, going, Term("missing"))


def test_only_the_typed_words_are_offered_for_spelling_and_an_exact_phrase_stays_exact():
    assert parse("children missing ").words() == ("children", "missing")
    assert parse('"young people" ').must == (Phrase(("young", "people")),)


def test_a_form_joins_the_words_a_reader_put_either_side_of_or():
    query = parse("child OR youth ")
    assert query.must == (AnyOf((Term("child"), Term("children", form=True), Term("youth"))),)
