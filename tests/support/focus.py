"""Where keyboard focus lands after a page loads, as a keyboard user meets it.

Chromium applies `autofocus` at its next rendering update, which on a busy machine can come
after the load event Playwright waits for: read at once, focus may still be on the body. These
wait for it to arrive (a few seconds at most), and fail, naming where it is, if it never does."""

import json

from playwright.sync_api import TimeoutError as PlaywrightTimeout

FOCUSED_ID = "() => document.activeElement ? document.activeElement.id : ''"


def wait_for_focus(page, script: str, expected: str, timeout: float = 5000) -> None:
    """Wait until the page script `script` (a function of no arguments) returns `expected`."""
    try:
        page.wait_for_function(f"() => ({script})() === {json.dumps(expected)}", timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(
            f"focus never reached {expected!r}; it is on {page.evaluate(script)!r}"
        ) from None


def assert_focus_id(page, element_id: str) -> None:
    """Focus arrives on the element with this id."""
    wait_for_focus(page, FOCUSED_ID, element_id)
