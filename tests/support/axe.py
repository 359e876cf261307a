"""One accessibility audit for every browser test: axe-core (bundled by axe-playwright-python)
with the WCAG 2.2 A/AA rules and axe's best practices."""

from axe_playwright_python.sync_playwright import Axe

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page):
    """The rules the current page breaks, each with the first few offending elements."""
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
