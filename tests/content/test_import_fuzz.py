"""Fuzzing the importer with generated front matter and headings (issue 14).

Whatever a content file holds, importing it either succeeds or is refused with problems that
each name the file and a line in it: never another exception, never a database error, and never
more than a few seconds per file. Each example is imported as a dry run, so it goes all the way
through the writes and is then rolled back. ``FUZZ_EXAMPLES=600`` runs more examples.
"""

import os
import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.content.data import ContentErrors
from briefings.content.importer import Importer

BUDGET_SECONDS = 5
THEMES = ["understanding-cse", "trafficking", "going-missing", "health-needs"]
ROLES = ["police", "social-workers", "health-staff"]

WORD = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
# Any text, including control characters, lone surrogates' neighbours, braces and newlines.
ANY_TEXT = st.text(max_size=60)
KEY = st.one_of(WORD, ANY_TEXT, st.text(st.sampled_from("ab-"), min_size=95, max_size=130))
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    ANY_TEXT,
    WORD,
    st.text(max_size=400),
)
VALUE = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(WORD, children, max_size=3)
    ),
    max_leaves=8,
)
REFERENCE = st.fixed_dictionaries(
    {"key": KEY, "authors": VALUE, "year": VALUE, "title": VALUE, "text": VALUE},
    optional={"work": VALUE, "label": VALUE, "url": VALUE, "publisher": VALUE},
)
GLOSSARY = st.fixed_dictionaries(
    {"term": st.one_of(WORD, ANY_TEXT), "expansion": VALUE}, optional={"note": VALUE}
)
FRONT_MATTER = st.fixed_dictionaries(
    {
        "title": st.one_of(ANY_TEXT, VALUE),
        "slug": st.one_of(WORD, KEY),
        "kind": st.sampled_from(["factsheet", "research-briefing", "other"]),
        "audiences": st.one_of(st.lists(st.sampled_from(ROLES), max_size=2), VALUE),
    },
    optional={
        "status": st.sampled_from(["draft", "published", "?"]),
        "published": st.one_of(st.sampled_from(["2017-01", "2017", "0000", "2017-13"]), VALUE),
        "series": st.one_of(ANY_TEXT, VALUE),
        "series_title": ANY_TEXT,
        "also_available": st.one_of(st.lists(ANY_TEXT, max_size=3), VALUE),
        "glossary": st.one_of(st.lists(GLOSSARY, max_size=3), VALUE),
        "references": st.one_of(st.lists(REFERENCE, max_size=3), VALUE),
        "reference_list": VALUE,
        "source_note": ANY_TEXT,
        "unknown": VALUE,
    },
)
# Front matter that is right where the importer needs it to be, so the rest is exercised too.
PLAUSIBLE_FRONT_MATTER = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=300).filter(str.strip),
        "slug": WORD,
        "kind": st.just("factsheet"),
        "audiences": st.lists(st.sampled_from(ROLES), min_size=1, max_size=2),
    },
    optional={
        "status": st.sampled_from(["draft", "published"]),
        "series": st.one_of(WORD, ANY_TEXT),
        "series_title": st.text(max_size=250),
        "also_available": st.lists(st.text(max_size=250), max_size=3),
        "glossary": st.lists(
            st.fixed_dictionaries({"term": st.one_of(WORD, ANY_TEXT), "expansion": ANY_TEXT}),
            max_size=3,
        ),
        "references": st.lists(
            st.fixed_dictionaries(
                {
                    "key": WORD,
                    "authors": st.text(max_size=300),
                    "year": st.text(max_size=12),
                    "title": st.text(max_size=80),
                    "text": st.text(max_size=200),
                },
                optional={"work": ANY_TEXT, "url": st.sampled_from(["https://x.org", "ftp://x"])},
            ),
            max_size=3,
        ),
    },
)
# Front matter as YAML a person might write, including aliases, tags and broken syntax.
RAW_FRONT_MATTER = st.lists(
    st.one_of(
        ANY_TEXT,
        st.sampled_from(
            ["a: &x [1, 2]", "b: *x", "c: !!python/object:os.system x", "d: [[[", "? x"]
        ),
    ),
    max_size=6,
).map("\n".join)
ATTRIBUTES = st.one_of(
    st.fixed_dictionaries(
        {"key": KEY, "themes": st.lists(st.one_of(st.sampled_from(THEMES), WORD), max_size=3)},
        optional={"slug": KEY, "other": WORD},
    ),
    st.fixed_dictionaries(
        {"key": WORD, "themes": st.lists(st.sampled_from(THEMES), min_size=1, max_size=2)},
        optional={"slug": WORD},
    ),
)


@st.composite
def heading(draw):
    marks = draw(st.sampled_from(["#", "##", "##", "###", "####"]))
    text = draw(st.one_of(ANY_TEXT, st.just("Key messages"), st.text(max_size=300)))
    attrs = draw(st.one_of(st.none(), ATTRIBUTES))
    if attrs is None:
        return f"{marks} {text}"
    parts = [f"{name}={value}" for name, value in attrs.items() if name != "themes"]
    parts.append("themes=" + ",".join(attrs["themes"]))
    return f"{marks} {text} {{{' '.join(parts)}}}"


BODY_LINE = st.one_of(
    heading(),
    ANY_TEXT,
    st.builds(lambda a: f"- {a}", heading()),
    st.sampled_from(["", "```", "> “Words.”", ">", "> — Young person A", "[x](cite:a/b)"]),
)


@st.composite
def content_file(draw):
    kind = draw(st.sampled_from(["plausible", "plausible", "any", "raw"]))
    if kind == "raw":
        front = draw(RAW_FRONT_MATTER) + "\n"
    else:
        meta = draw(PLAUSIBLE_FRONT_MATTER if kind == "plausible" else FRONT_MATTER)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = "\n".join(draw(st.lists(BODY_LINE, max_size=12)))
    return f"---\n{front}---\n{body}\n"


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=content_file())
def test_any_content_file_is_imported_or_refused_with_file_and_line(db, tmp_path, text):
    path = tmp_path / "fuzzed.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    lines = len(text.splitlines()) + 1
    started = time.perf_counter()
    errors = []
    try:
        Importer([path]).run(dry_run=True)
    except ContentErrors as exc:
        errors = exc.errors
    assert time.perf_counter() - started < BUDGET_SECONDS
    for error in errors:
        assert error.path == str(path)
        assert 1 <= error.line <= lines, error
        assert error.message
