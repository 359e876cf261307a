"""The admin is a client of the editorial services, never the other way round, and it passes what
a save needs explicitly rather than on the request object."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "briefings", ROOT / "portal"]


def _modules():
    for folder in SOURCES:
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), str(path))


def _dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, tree) -> set[str]:
    """Every module (and module.name) the file imports, relative imports made absolute."""
    dotted = _dotted(path)
    package = dotted if path.name == "__init__.py" else dotted.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def _is_admin(module: str) -> bool:
    return any(part == "admin" or part.endswith("_admin") for part in module.split("."))


def test_no_module_outside_the_admin_imports_an_admin_module():
    offenders = []
    for path, tree in _modules():
        if _is_admin(_dotted(path)):
            continue
        ours = [m for m in _imported(path, tree) if m.startswith(("briefings", "portal"))]
        offenders += [f"{_dotted(path)} imports {m}" for m in ours if _is_admin(m)]
    assert offenders == []


# The one assignment allowed: @query_parameters replaces a view's input with its canonical form
# (portal/query.py), so the view and the page cache read the same parameters. It is the request's
# own input, rewritten, not state that one layer leaves for another.
REWRITES_OF_INPUT = {"portal.query request.GET"}


def test_nothing_is_stored_on_the_request_object():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "request"
                    and f"{_dotted(path)} request.{target.attr}" not in REWRITES_OF_INPUT
                ):
                    found.append(f"{_dotted(path)}:{node.lineno} request.{target.attr}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "request"
            ):
                found.append(f"{_dotted(path)}:{node.lineno} setattr(request, ...)")
    assert found == []
