"""The search box's query language, parsed into a small syntax tree.

What a reader may type:

- plain words: every word must match (English stemming: "talking" finds "talk");
- "an exact phrase" in double quotes (an unclosed quote runs to the end of the text);
- -word or -"a phrase" to exclude;
- OR between two words or phrases: either may match;
- the last word also matches as a prefix ("exploi" finds "exploitation"), as does word*;
- glossary acronyms are expanded both ways: CAMHS also finds “Child and Adolescent Mental Health
  Services”, and that phrase also finds CAMHS.

Anything else (lone operators, brackets, SQL, emoji, control characters) is treated as text and
dropped if it holds no word characters. User text never reaches a database query language: the
backends compile this tree, in which every word is a run of Unicode letters and digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

# Only the start of a very long input is read: nobody types 10,000 characters on purpose, and the
# cost of a search must stay bounded whatever arrives.
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_WORD_CHARS = 60
MIN_PREFIX_CHARS = 3

# PostgreSQL's English stop-word list (Snowball), which it does not index. Both backends drop the
# same words from a query, so the same query means the same thing on each.
POSTGRESQL_STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)
# Fillers of a question typed in full (“what if the young person will not talk to us?”): dropped
# so that such a question still finds the passage that answers it.
QUESTION_FILLERS = frozenset("us would could might shall may also".split())  # noqa: SIM905
# What is left of a contraction once the apostrophe splits it ("won't" is "won" and "t").
CONTRACTED = frozenset(
    "won didn doesn isn aren wasn weren couldn shouldn wouldn haven hasn hadn ll re ve d m".split()  # noqa: SIM905
)
STOP_WORDS = POSTGRESQL_STOP_WORDS | QUESTION_FILLERS | CONTRACTED

# Forms of one word that stemming cannot join ("goes" stems to "goe", "going" to "go"; "people"
# and "person" share no stem): a typed word also finds its other forms, so that "a young person
# goes missing" finds "young people going missing". Only irregular forms are listed; regular
# endings are the stemmer's work. Each group is the forms of one word.
WORD_FORMS_GROUPS = (
    ("person", "people", "persons"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("go", "goes", "going", "gone", "went"),
    ("run", "ran"),
    ("tell", "told"),
    ("say", "said"),
    ("know", "knew", "known"),
    ("feel", "felt"),
    ("think", "thought"),
    ("take", "took", "taken"),
    ("give", "gave", "given"),
    ("keep", "kept"),
    ("seek", "sought"),
    ("teach", "taught"),
)
WORD_FORMS = {
    word: tuple(form for form in group if form != word)
    for group in WORD_FORMS_GROUPS
    for word in group
}

WORD_RE = re.compile(r"[^\W_]+")
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‘": "'", "’": "'"})
TOKEN_RE = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<chunk>[^\s"]+)')
POSSESSIVE_RE = re.compile(r"'s\b", re.IGNORECASE)


def words_of(text: str) -> tuple[str, ...]:
    """The words of a text as the indexes see them: lower-case runs of letters and digits."""
    return tuple(w[:MAX_WORD_CHARS] for w in WORD_RE.findall(text.lower()))


def vocabulary_words(*texts: str) -> set[str]:
    """The distinct words of a row's texts for the spelling vocabulary, as FTS5's unicode61
    tokenizer folds them (lower case, diacritics removed), at most MAX_WORD_CHARS long."""
    words = set()
    for text in texts:
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
        )
        words.update(w for w in WORD_RE.findall(folded) if len(w) <= MAX_WORD_CHARS)
    return words


def clean_text(text: str) -> str:
    """Drop control and unassigned characters; normalise quote marks and compatibility forms."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return "".join(
        " " if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} else c
        for c in text
    )


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool = False
    form: bool = False  # another form of a typed word (WORD_FORMS), not typed itself

    def words(self):
        return () if self.form else (self.word,)

    def __str__(self):
        return self.word + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Phrase:
    words_: tuple[str, ...]
    prefix: bool = False

    def words(self):
        return self.words_

    def __str__(self):
        return '"' + " ".join(self.words_) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Node, ...]

    def words(self):
        return tuple(w for option in self.options for w in option.words())

    def __str__(self):
        return " OR ".join(str(o) for o in self.options)


@dataclass(frozen=True)
class AllOf:
    """Every part must match: only made by Query.all_but_one(), never typed."""

    parts: tuple[Node, ...]

    def words(self):
        return tuple(w for part in self.parts for w in part.words())


Node = Term | Phrase | AnyOf | AllOf


@dataclass(frozen=True)
class Expansion:
    term: str
    expansion: str


@dataclass(frozen=True)
class Query:
    """Every node in `must` has to match; no node in `must_not` may."""

    must: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()
    expansions: tuple[Expansion, ...] = ()
    # Why the query reads differently from what was typed, for the page to explain.
    truncated: bool = False
    dropped_stop_words: tuple[str, ...] = ()
    only_exclusions: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.must

    def words(self) -> tuple[str, ...]:
        """The positive words, in order: what a spelling suggestion may replace."""
        return tuple(w for node in self.must for w in node.words())

    def leaves(self) -> tuple[Term | Phrase, ...]:
        """Each positive word and phrase once, in order, out of any OR or grouping."""
        found: dict[Term | Phrase, None] = {}

        def walk(node):
            if isinstance(node, AnyOf | AllOf):
                for child in node.options if isinstance(node, AnyOf) else node.parts:
                    walk(child)
            else:
                found[node] = None

        for node in self.must:
            walk(node)
        return tuple(found)

    def marking(self) -> Query:
        """Any of the positive words and phrases: what a result's highlights mark. It marks the
        same words as the query itself, and costs far less to look up per result than a query
        that repeats them (as the closest-results searches do)."""
        return Query(must=(AnyOf(self.leaves()),))

    def all_but_one(self, counts: Mapping[str, int] | None = None) -> Query:
        """All the clauses but one, whichever one: the closest results when nothing matches.

        `counts` (rows holding each word) puts the commonest clauses where they are written
        least often (see _all_but_one)."""
        if len(self.must) < 3:
            return self.relaxed()
        counts = counts or {}
        nodes = sorted(self.must, key=lambda node: -sum(counts.get(w, 0) for w in node.words()))
        return replace(self, must=(_all_but_one(tuple(nodes)),))

    def relaxed(self) -> Query:
        """Any of the words instead of all of them: the closest results when nothing matches."""
        if len(self.must) < 2:
            return self
        options = []
        for node in self.must:
            options.extend(node.options if isinstance(node, AnyOf) else [node])
        return replace(self, must=(AnyOf(tuple(dict.fromkeys(options))),))

    def respell(self, corrections: Mapping[str, str]) -> Query:
        """The same query with misspelt words replaced."""
        return replace(self, must=tuple(_respell(n, corrections) for n in self.must))

    def lookups(self) -> tuple[Lookup, ...]:
        """Each positive word once, as the search looks it up in the index: a word, or a
        prefix (the last word typed, or a phrase's last word followed by *)."""
        found: dict[Lookup, None] = {}
        for leaf in self.leaves():
            if isinstance(leaf, Term):
                found[(leaf.word, leaf.prefix)] = None
            else:
                for i, word in enumerate(leaf.words_):
                    found[(word, leaf.prefix and i == len(leaf.words_) - 1)] = None
        return tuple(found)

    def finds_nothing(self, unmatched: Collection[Lookup]) -> bool:
        """Whether the query certainly finds no row, given look-ups no indexed row answers
        (SearchBackend.unmatched): one of the clauses it needs cannot match."""
        return any(_cannot_match(node, unmatched) for node in self.must)


# A word as the index is asked for it: (word, whether it is a prefix).
Lookup = tuple[str, bool]


def _cannot_match(node: Node, unmatched: Collection[Lookup]) -> bool:
    if isinstance(node, Term):
        return (node.word, node.prefix) in unmatched
    if isinstance(node, Phrase):
        last = len(node.words_) - 1
        return any((w, node.prefix and i == last) in unmatched for i, w in enumerate(node.words_))
    if isinstance(node, AnyOf):
        return all(_cannot_match(option, unmatched) for option in node.options)
    return any(_cannot_match(part, unmatched) for part in node.parts)


def _all_but_one(nodes: tuple[Node, ...]) -> Node:
    """Every node but at most one: the first and all but one of the rest, or all the rest.

    Nested so, the k-th node is written k times (the last, n - 1), about n/2 on average rather
    than n - 1 (27 words instead of 42 for seven). FTS5's bm25() reads every row holding a word
    once per time it is written, so the commonest words go first.
    """
    if len(nodes) == 2:
        return AnyOf(nodes)
    first, rest = nodes[0], nodes[1:]
    return AnyOf((AllOf((first, _all_but_one(rest))), AllOf(rest)))


def respell_text(text: str, corrections: Mapping[str, str]) -> str:
    """The reader's own text with misspelt words replaced, for a “Did you mean” link."""
    return WORD_RE.sub(lambda m: corrections.get(m.group(0).lower(), m.group(0)), text)


def _respell(node: Node, corrections: Mapping[str, str]) -> Node:
    if isinstance(node, Term):
        return replace(node, word=corrections.get(node.word, node.word))
    if isinstance(node, Phrase):
        return replace(node, words_=tuple(corrections.get(w, w) for w in node.words_))
    if isinstance(node, AllOf):
        return AllOf(tuple(_respell(p, corrections) for p in node.parts))
    return AnyOf(tuple(_respell(o, corrections) for o in node.options))


@dataclass
class _Item:
    """One thing the reader typed, before operators are applied."""

    node: Node | None  # None for the OR operator
    negated: bool = False
    raw: str = ""
    phrase: bool = False

    @property
    def is_or(self):
        return self.node is None


class Glossary:
    """Acronyms and their expansions, matched case-insensitively in both directions."""

    def __init__(self, terms: Iterable[tuple[str, str]] = ()):
        self.by_term: dict[str, tuple[str, str]] = {}
        self.by_expansion: dict[tuple[str, ...], tuple[str, str]] = {}
        for term, expansion in terms:
            term_key = _key(term)
            if term_key and words_of(expansion):
                self.by_term.setdefault(term_key, (term, expansion))
                self.by_expansion.setdefault(_key_words(expansion), (term, expansion))
        self.longest = max((len(k) for k in self.by_expansion), default=0)

    def node_for(self, term: str, expansion: str) -> AnyOf:
        term_words = words_of(term)
        term_node = Term(term_words[0]) if len(term_words) == 1 else Phrase(term_words)
        return AnyOf((term_node, Phrase(words_of(expansion))))


def _key(text: str) -> str:
    return "".join(words_of(text))


def _key_words(text: str) -> tuple[str, ...]:
    return words_of(POSSESSIVE_RE.sub("", text))


def _lex(text: str, glossary: Glossary, expanded: list[tuple[str, str]]) -> list[_Item]:
    items: list[_Item] = []
    for match in TOKEN_RE.finditer(text):
        if match.group("chunk") is None:
            words = words_of(match.group("phrase"))
            if words:
                node = Phrase(words) if len(words) > 1 else Term(words[0])
                found = glossary.by_expansion.get(_key_words(match.group("phrase")))
                if found:
                    node = glossary.node_for(*found)
                    if not match.group("neg"):
                        expanded.append(found)
                items.append(_Item(node, bool(match.group("neg")), match.group(0), phrase=True))
            continue
        chunk = match.group("chunk")
        if chunk == "OR":
            items.append(_Item(None, raw=chunk))
            continue
        negated = chunk.startswith("-") and len(chunk) > 1
        body = chunk.lstrip("-") if negated else chunk
        prefix = body.endswith("*")
        found = glossary.by_term.get(_key(body.strip(".,;:!?()[]{}*'")))
        if found and words_of(body) and words_of(body)[0] in STOP_WORDS and body.islower():
            found = None  # "it" is a word; only "IT" is the acronym
        if found and len(words_of(body)) <= len(words_of(found[0])):
            items.append(_Item(glossary.node_for(*found), negated, chunk))
            if not negated:
                expanded.append(found)
            continue
        words = words_of(POSSESSIVE_RE.sub("", body))
        if not words:
            continue  # a lone operator, punctuation or symbols: nothing to search for
        node = Term(words[0], prefix=prefix) if len(words) == 1 else Phrase(words, prefix=prefix)
        items.append(_Item(node, negated, chunk))
    return items


def _expand_phrases(
    items: list[_Item], glossary: Glossary, expanded: list[tuple[str, str]]
) -> list[_Item]:
    """Replace a run of typed words that spells a glossary expansion with expansion OR acronym."""
    if not glossary.by_expansion:
        return items
    out: list[_Item] = []
    i = 0
    while i < len(items):
        matched = False
        for length in range(min(glossary.longest, len(items) - i), 1, -1):
            run = items[i : i + length]
            if any(
                it.is_or or it.negated or it.phrase or not isinstance(it.node, Term) for it in run
            ):
                continue
            key = tuple(w for it in run for w in _key_words(it.raw))
            found = glossary.by_expansion.get(key)
            if found:
                out.append(_Item(glossary.node_for(*found), raw=" ".join(it.raw for it in run)))
                expanded.append(found)
                i += length
                matched = True
                break
        if not matched:
            out.append(items[i])
            i += 1
    return out


def _is_stop(node: Node) -> bool:
    if isinstance(node, Term):
        return node.word in STOP_WORDS and not node.prefix
    if isinstance(node, Phrase):
        return all(w in STOP_WORDS for w in node.words_)
    return all(_is_stop(o) for o in node.options)


def with_forms(options: list[Node]) -> list[Node]:
    """Each typed word followed by its irregular forms (WORD_FORMS); phrases stay exact."""
    out: list[Node] = []
    for node in options:
        out.append(node)
        if isinstance(node, Term) and not node.form:
            out.extend(Term(form, form=True) for form in WORD_FORMS.get(node.word, ()))
    return out


def parse(text: str, glossary: Glossary | None = None) -> Query:
    glossary = glossary or Glossary()
    text = clean_text(text or "")
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    expanded: list[tuple[str, str]] = []
    items = _expand_phrases(_lex(text, glossary, expanded), glossary, expanded)

    # The last word typed is matched as a prefix too, as the reader may not have finished it.
    if items and not text.endswith((" ", '"')):
        last = items[-1]
        if not last.is_or and not last.negated and not last.phrase:
            node = last.node
            tail = node.words()[-1] if isinstance(node, Term | Phrase) else ""
            if len(tail) >= MIN_PREFIX_CHARS and tail not in STOP_WORDS:
                last.node = replace(node, prefix=True)

    # Group: A OR B binds tighter than the implicit AND between clauses.
    groups: list[list[_Item]] = []
    joining = False
    for item in items:
        if item.is_or:
            joining = bool(groups) and not groups[-1][-1].negated
            continue
        if joining and not item.negated:
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False

    must: list[Node] = []
    must_not: list[Node] = []
    stop_words: list[str] = []
    for group in groups:
        options = []
        for item in group:
            if _is_stop(item.node):
                stop_words.append(item.raw)
                continue
            if isinstance(item.node, AnyOf):
                options.extend(item.node.options)
            else:
                options.append(item.node)
        options = list(dict.fromkeys(with_forms(options)))
        if not options:
            continue
        node = options[0] if len(options) == 1 else AnyOf(tuple(options))
        target = must_not if group[0].negated else must
        if node not in target:
            target.append(node)

    if len(must) > MAX_CLAUSES or len(must_not) > MAX_CLAUSES:
        truncated = True
    must, must_not = must[:MAX_CLAUSES], must_not[:MAX_CLAUSES]
    expansions = tuple(dict.fromkeys(Expansion(*found) for found in expanded))
    return Query(
        must=tuple(must),
        must_not=tuple(must_not) if must else (),
        expansions=expansions,
        truncated=truncated,
        dropped_stop_words=tuple(stop_words),
        only_exclusions=bool(must_not) and not must,
    )
