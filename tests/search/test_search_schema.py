"""The names the search SQL uses are held to the models, and the engines stay independent."""

import ast
from pathlib import Path

import pytest

from briefings.search import schema
from briefings.search.sql import Sql, join, sql, value

ENGINES = Path(schema.__file__).parent / "engines"


@pytest.mark.parametrize("table", sorted(schema.COLUMNS))
def test_every_column_the_statements_read_is_a_column_of_its_model(table):
    model = schema.MODELS[table]
    columns = {field.column for field in model._meta.concrete_fields}
    assert set(schema.COLUMNS[table]) <= columns


def imported_modules(path):
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
            found.update("." * node.level + alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize(("engine", "other"), [("sqlite", "postgres"), ("postgres", "sqlite")])
def test_an_engine_never_imports_the_other_nor_the_package_that_chooses(engine, other):
    modules = sorted(ENGINES.glob(f"{engine}*.py"))
    assert modules
    for module in modules:
        imports = imported_modules(module)
        assert not {name for name in imports if other in name}, module.name
        # `from . import x` or `from briefings.search.engines import x` would reach the
        # chooser, which imports both engines.
        assert "." not in imports
        assert "briefings.search.engines" not in imports


def test_the_base_imports_no_engine():
    imports = imported_modules(ENGINES / "base.py")
    assert not {name for name in imports if "sqlite" in name or "postgres" in name}
    assert "." not in imports


def test_sql_parts_carry_their_own_parameters_in_the_order_they_appear():
    where = sql("a = {x} AND b IN ({ys})", x=value(1), ys=join(", ", [value(2), value(3)]))
    statement = sql(
        "SELECT {what} FROM {table} WHERE {where}", what=value("w"), table="t", where=where
    )
    assert statement == Sql("SELECT %s FROM t WHERE a = %s AND b IN (%s, %s)", ("w", 1, 2, 3))


@pytest.mark.parametrize(
    "build",
    [
        lambda: sql("a = %s"),  # a value written into the text
        lambda: sql("a = {x}", x="'%'"),  # SQL text that could hide a placeholder
        lambda: sql("a = {x}", x=object()),
        lambda: sql("a = {x}"),  # a slot left empty
        lambda: Sql("a = %s"),  # a placeholder without its value
    ],
)
def test_sql_refuses_values_that_do_not_come_as_parameters(build):
    with pytest.raises((ValueError, TypeError)):
        build()
