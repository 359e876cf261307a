"""Keys and slugs made from what an editor writes (a title, a heading, a reference's authors), so
no editor has to invent one. Each is a content-format key (docs/content-format.md): lowercase
letters and digits in words joined by single hyphens.
"""

from __future__ import annotations

import re
import string

from django.utils.text import slugify

# A generated slug or key is cut to this many characters, at a word boundary.
GENERATED_MAX_CHARS = 60
# Words too common to name a document part on their own ("the", "a").
_CONNECTIVES = {"a", "an", "and", "the", "of", "in", "on", "for", "to", "with"}


def short_slug(text: str, limit: int = GENERATED_MAX_CHARS) -> str:
    """``text`` as a slug of at most ``limit`` characters, cut between words, never mid-word
    (unless the first word alone is longer)."""
    slug = slugify(text.replace("’", "").replace("'", ""))
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]
    if cut.endswith("-"):
        return cut.rstrip("-")
    head = cut[:limit].rsplit("-", 1)[0]
    # Never end on a connective ("...-of"), unless it is all there is.
    words = head.split("-")
    while len(words) > 1 and words[-1] in _CONNECTIVES:
        words.pop()
    return "-".join(words) or slug[:limit]


def message_key(text: str, words: int = 6) -> str:
    """A key message's key: its first few words (its Markdown and citations left out)."""
    plain = re.sub(r"\]\([^)]*\)", "]", text)
    plain = re.sub(r"[*_\[\]>#`]", "", plain)
    return short_slug(" ".join(plain.split()[:words]), 40)


def unique_key(base: str, taken, limit: int = GENERATED_MAX_CHARS) -> str:
    """``base``, or ``base-2``, ``base-3``... the first not in ``taken``."""
    base = base or "item"
    if base not in taken:
        return base
    for number in range(2, len(taken) + 3):
        suffix = f"-{number}"
        candidate = base[: limit - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: there are more numbers than taken keys")


def letter_suffixes(keys: list[str], taken=()) -> list[str]:
    """Author-year keys made distinct the way citations are: keys that clash (with each other or
    with ``taken``) get ``a``, ``b``, ``c``... in order (``coy-2016a``, ``coy-2016b``)."""
    taken = set(taken)
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    out, used = [], set(taken)
    for key in keys:
        if counts[key] == 1 and key not in taken:
            out.append(key)
            used.add(key)
            continue
        for letter in string.ascii_lowercase:
            candidate = f"{key}{letter}"
            if candidate not in used:
                break
        else:
            candidate = unique_key(key, used)
        out.append(candidate)
        used.add(candidate)
    return out
