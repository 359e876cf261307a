"""A piece of SQL with its own parameters, composed explicitly.

Search builds one statement out of many parts (docs/search.md). Each part is an `Sql` value: its
text, with a `%s` for every value, and those values in the order they appear. Parts are put
together with `sql()`, whose template names the slots each part fills, so a part's values always
travel with its text: none is appended to a shared list, and reordering a statement cannot
misalign them.
"""

from __future__ import annotations

from functools import lru_cache
from string import Formatter


class Sql:
    """Immutable: `text` with a %s for each of `params`, in order."""

    __slots__ = ("params", "text")

    def __init__(self, text: str, params: tuple = ()):
        if text.count("%s") != len(params):
            raise ValueError(f"{len(params)} parameters for {text!r}")
        _set(self, "text", text)
        _set(self, "params", tuple(params))

    @classmethod
    def _composed(cls, text: str, params: tuple) -> Sql:
        """A part built by sql() or join() from parts already checked."""
        part = object.__new__(cls)
        _set(part, "text", text)
        _set(part, "params", params)
        return part

    def __setattr__(self, name, value):
        raise AttributeError("Sql is immutable")

    def __eq__(self, other):
        if not isinstance(other, Sql):
            return NotImplemented
        return (self.text, self.params) == (other.text, other.params)

    def __hash__(self):
        return hash((self.text, self.params))

    def __repr__(self):
        return f"Sql({self.text!r}, {self.params!r})"

    def __str__(self):
        return self.text


_set = object.__setattr__


def value(param) -> Sql:
    """One value, as a parameter: the only way a value reaches the SQL."""
    return Sql._composed("%s", (param,))


def join(separator: str, parts) -> Sql:
    """Parts one after the other, with a separator of SQL text between them."""
    parts = [as_sql(part) for part in parts]
    return Sql._composed(
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
        return Sql._composed(part, ())
    if isinstance(part, int | float) and not isinstance(part, bool):
        return Sql(repr(part))
    raise TypeError(f"not SQL: {part!r}")


@lru_cache(maxsize=512)
def _slots(template: str) -> tuple[str, ...]:
    """The template's slot names in the order they appear, checked once per template."""
    names = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if "%" in literal:
            raise ValueError(f"SQL text may not hold %: {literal!r}")
        if spec or conversion:
            raise ValueError(f"bad slot {name!r} in {template!r}")
        if name is not None:
            names.append(name)
    return tuple(names)


def sql(template: str, /, **parts) -> Sql:
    """The template with each {slot} filled by its part (see as_sql), the parameters in the order
    the slots appear. The template's own text holds no value: it has no %."""
    texts, params = {}, []
    for name in _slots(template):
        if name not in parts:
            raise ValueError(f"slot {name!r} left empty in {template!r}")
        part = parts[name]
        if isinstance(part, Sql):
            texts[name] = part.text
            params.extend(part.params)
        elif isinstance(part, str) and "%" not in part:
            texts[name] = part
        else:
            texts[name] = as_sql(part).text
    return Sql._composed(template.format_map(texts), tuple(params))
