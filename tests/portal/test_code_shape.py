"""The code keeps the shape docs/architecture.md describes: small modules and functions, no import
cycles, and the layers import-linter checks (the same contracts `make lint` runs)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("briefings", "portal", "perf")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def project_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in project_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines():
    long = {}
    for path in project_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = lines
    assert long == {}


def import_cycles(graph):
    """Strongly connected groups of more than one module (Tarjan), in the project's own modules."""
    modules = sorted(graph.modules)
    edges = {
        m: [n for n in graph.find_modules_directly_imported_by(m) if n in graph.modules]
        for m in modules
    }
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return groups


def test_no_import_cycles_anywhere_in_the_project(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*PACKAGES, "tests")
    assert import_cycles(graph) == []


def test_import_linter_contracts_hold():
    result = subprocess.run(  # noqa: S603 - our own lint-imports with fixed arguments
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_partials_live_in_includes_folders():
    # The convention in docs/architecture.md: an included template sits in an includes/ folder
    # (Django's own widget templates aside), and no template name starts with an underscore.
    templates = ROOT / "templates"
    included = set()
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        included |= set(re.findall(r'\{% include "([^"]+)"', text))
    ours = {name for name in included if (templates / name).exists()}
    assert ours, "no include found: the pattern no longer matches the templates"
    assert sorted(name for name in ours if "/includes/" not in f"/{name}") == []
    assert sorted(str(p.relative_to(templates)) for p in templates.rglob("_*")) == []
