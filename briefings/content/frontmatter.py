"""Read YAML front matter safely, remembering the line of every value.

The loader is PyYAML's safe loader with three bounds, because a content file is input the portal
does not control (issue 14): aliases (``*name``) are refused, so a few hundred bytes cannot expand
into hundreds of megabytes; nesting is limited; and whatever else PyYAML or Python raises while
building values (an integer of 10,000 digits, a key that is a list) is reported as a content
error with its line, never as a traceback.
"""

from __future__ import annotations

import yaml

# Deeper than any real front matter (a reference is a mapping in a list in a mapping: depth 3).
MAX_DEPTH = 8


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses aliases, bounds nesting, and records lines."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in content files", mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float)) or isinstance(key, bool):
            raise yaml.constructor.ConstructorError(
                None, None, "a field name must be a plain word", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates such as 2017-01 must stay strings; only our code interprets them.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str):
    """The YAML document in ``text``, with ``__line__``/``__lines__`` in every mapping (1-based,
    relative to ``text``). Raises FrontMatterError with the line of the problem."""
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        # A character YAML does not accept, found before parsing starts.
        line = text[: exc.position].count("\n") + 1
        raise FrontMatterError(
            line, f"the character U+{exc.character:04X} is not allowed"
        ) from None
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FrontMatterError(
            mark.line + 1 if mark else 1, exc.problem or exc.context or "not valid YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(1, str(exc)) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Raised by Python while PyYAML builds a value; the loader knows where it was.
        mark = loader.get_mark()
        raise FrontMatterError(mark.line + 1, f"a value cannot be read ({exc})") from None
    finally:
        loader.dispose()
