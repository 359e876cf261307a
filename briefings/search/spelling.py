"""Spelling suggestions for a search that found nothing, from the index's own vocabulary."""

from __future__ import annotations

import difflib

from .engines.base import each_word_is_safe
from .query import STOP_WORDS, Query


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance with adjacent transpositions ("recieve" is one edit from "receive").

    With `limit`, any distance over it comes back as limit + 1, found as soon as it is certain:
    most of the vocabulary a suggestion reads is far from the word.
    """
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        if limit is not None and min(current) > limit and min(previous) > limit:
            # Every later cell descends from one of these two rows (a transposition reaches
            # back two), so none can come back under the limit.
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if limit is None else min(previous[-1], limit + 1)


def _shared_letters(word: str) -> int:
    return 1 if len(word) < 6 else 2 if len(word) < 9 else 3


def suggest(backend, query: Query, counts: dict[str, int]) -> dict[str, str]:
    """Near spellings, from the index's own vocabulary, of the words it does not hold.

    `counts` holds the query's words that the index holds (backend.word_counts()): when every
    word is known there is nothing to correct, and the costlier read of near words is skipped.
    The nearest word by edit distance wins (at most one edit in a short word, two in a longer
    one); between equally near words, the one more rows hold, then the one difflib rates closer.
    """
    words = [
        w
        for w in dict.fromkeys(query.words())
        if len(w) >= 4 and not w.isdigit() and w not in counts
    ]
    if not words:
        return {}
    # Candidates share the word's first letters (two for a longer word, three for a long one),
    # which keeps the vocabulary read small on a large index (it counts the rows of every word
    # it reads); a slip in the first letters goes unsuggested.
    windows = sorted({(w[: _shared_letters(w)], len(w) - 2, len(w) + 2) for w in words})
    vocabulary = backend.vocabulary(windows)
    corrections = {}
    for word in words:
        allowed = 1 if len(word) < 6 else 2
        candidates = []
        for candidate, rows in vocabulary.items():
            # PostgreSQL's vocabulary holds tokens such as "and/or" that a search cannot hold.
            if candidate in STOP_WORDS or not each_word_is_safe([candidate]):
                continue
            distance = edit_distance(word, candidate, limit=allowed)
            if distance <= allowed:
                ratio = difflib.SequenceMatcher(None, word, candidate).ratio()
                candidates.append((distance, -rows, -ratio, candidate))
        if candidates:
            corrections[word] = min(candidates)[3]
    # Not those the index reads as the typed word ("keeps": its stem "keep" is in the index,
    # though no text holds "keeps" as written): respelt, the search would find the same again.
    # Only a word that extends the other can share its stem, and only those cost the engine a
    # look.
    alike = {w: c for w, c in corrections.items() if w.startswith(c) or c.startswith(w)}
    for same in backend.same_to_the_index(alike) if alike else ():
        del corrections[same]
    return corrections
