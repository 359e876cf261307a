"""Which theme names a search is about (the search page's "Also see"): a name is matched when
the search holds its words, in any of their forms, leaving out words too common in this
guidance to tell one subject from another."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from .query import STOP_WORDS, WORD_FORMS_GROUPS, clean_text, words_of

# Words so common in this guidance that a name sharing only them with a search is not about it:
# "Young people in care" is not what "a young person goes missing" is about.
COMMON_WORDS = frozenset("young people person child children".split())  # noqa: SIM905
NOT_NAMING = STOP_WORDS | COMMON_WORDS
SUFFIXES = ("ing", "ed", "es", "s")


# Bounded: every search compares its words with every theme's name (names_matching), and a
# stranger's searches bring words never seen before.
@functools.lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    """A rough stem for comparing names with searches: a word's first irregular form, or the
    word without a regular ending."""
    for group in WORD_FORMS_GROUPS:
        if word in group:
            return group[0]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _same_stem(a: str, b: str) -> bool:
    """Whether two stems (_stem) are of one word: equal, or with a long shared beginning
    ("disclos" of "disclosing" and "disclosure", "exploit" and "exploitation")."""
    if a == b:
        return True
    if a[:5] != b[:5]:  # most pairs, at once: they cannot share five letters
        return False
    shared = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return shared >= 5 and shared >= 0.75 * min(len(a), len(b))


@functools.lru_cache(maxsize=16)
def _name_stems(names: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Each (value, name) with the stems of its name's words that are neither common nor stop
    words: the names are the same on every search until content changes."""
    return tuple(
        (item, name, tuple(_stem(w) for w in words_of(name) if w not in NOT_NAMING))
        for item, name in names
    )


def names_matching(text: str, names: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (value, name) pairs whose name the search text is about: every word of the name
    that is neither common nor a stop word is in the text (all but one, for a name of three
    or more such words), as one of its forms (_stem, _same_stem)."""
    typed = {_stem(w) for w in words_of(clean_text(text)) if w not in STOP_WORDS}
    found = []
    for item, name, wanted in _name_stems(tuple(names)):
        if not wanted:
            continue
        matched = sum(1 for w in wanted if any(_same_stem(w, t) for t in typed))
        if matched == len(wanted) or (len(wanted) >= 3 and matched >= len(wanted) - 1):
            found.append((item, name))
    return found
