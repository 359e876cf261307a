"""Watch Markdown rendering: which texts are rendered, and whether inside a write transaction."""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from unittest import mock

from django.db import connection

from briefings import markdown


@dataclass
class Render:
    text: str
    in_transaction: bool  # inside a transaction (or savepoint) opened since watching began


@contextmanager
def watch_rendering(before=None):
    """Record every call of the renderer, wherever the portal's code imported it.
    ``before(text)``, if given, runs first on each call (to make rendering slow, say)."""
    original = markdown.render_markdown
    baseline = len(connection.atomic_blocks)
    renders: list[Render] = []

    def spy(text, **kwargs):
        renders.append(Render(text, len(connection.atomic_blocks) > baseline))
        if before is not None:
            before(text)
        return original(text, **kwargs)

    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            ours = name.split(".")[0] in ("briefings", "portal")
            if ours and getattr(module, "render_markdown", None) is original:
                stack.enter_context(mock.patch.object(module, "render_markdown", spy))
        yield renders
