"""A piece of SQL with its own parameters, composed explicitly.

Search builds one statement out of many parts (docs/search.md). Each part is an `Sql` value: its
text, with a `%s` for every value, and those values in the order they appear. Parts are put
together with `sql()`, whose template names the slots each part fills, so a part's values always
travel with its text: none is appended to a shared list, and reordering a statement cannot
misalign them.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter


@dataclass(frozen=True)
class Sql:
    text: str
    params: tuple = ()

    def __post_init__(self):
        if self.text.count("%s") != len(self.params):
            raise ValueError(f"{len(self.params)} parameters for {self.text!r}")

    def __str__(self):
        return self.text


def value(param) -> Sql:
    """One value, as a parameter: the only way a value reaches the SQL."""
    return Sql("%s", (param,))


def join(separator: str, parts) -> Sql:
    """Parts one after the other, with a separator of SQL text between them."""
    parts = [as_sql(part) for part in parts]
    return Sql(
        separator.join(part.text for part in parts),
        tuple(param for part in parts for param in part.params),
    )


def as_sql(part) -> Sql:
    """An `Sql` as it is; a str as SQL text (names and constants this code builds, never a value
    from outside); a number as a literal."""
    if isinstance(part, Sql):
        return part
    if isinstance(part, str):
        if "%" in part:
            raise ValueError(f"SQL text may not hold %: {part!r}")
        return Sql(part)
    if isinstance(part, int | float) and not isinstance(part, bool):
        return Sql(repr(part))
    raise TypeError(f"not SQL: {part!r}")


def sql(template: str, /, **parts) -> Sql:
    """The template with each {slot} filled by its part (see as_sql), the parameters in the order
    the slots appear. The template's own text holds no value: it has no %."""
    texts, params = [], []
    for literal, name, spec, conversion in Formatter().parse(template):
        if "%" in literal:
            raise ValueError(f"SQL text may not hold %: {literal!r}")
        texts.append(literal)
        if name is None:
            continue
        if spec or conversion or name not in parts:
            raise ValueError(f"bad slot {name!r} in {template!r}")
        part = as_sql(parts[name])
        texts.append(part.text)
        params.extend(part.params)
    return Sql("".join(texts), tuple(params))
