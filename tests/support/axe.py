"""One accessibility audit for every browser test: axe-core (bundled by axe-playwright-python)
with the WCAG 2.2 A/AA rules and axe's best practices, including target size (WCAG 2.5.8: each
control at least 24 by 24 CSS pixels, or spaced as if it were), which axe runs only if asked."""

from axe_playwright_python.sync_playwright import Axe

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}


def axe_violations(page):
    """The rules the current page breaks, each with the first few offending elements."""
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
