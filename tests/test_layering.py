"""Layering: the core is pure, the schemas know no Flask, views stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = {"flask", "flask_smorest", "werkzeug", "marshmallow", "webargs", "apispec", "gunicorn"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("service/core"), ids=lambda p: p.name)
def test_core_imports_neither_web_nor_schema_code(path):
    assert not imported_roots(path) & (WEB | {"service", "schemas", "orjson"})


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", modules("schemas"), ids=lambda p: p.name)
def test_schemas_import_no_web_framework_and_of_the_service_only_its_pure_core(path):
    """The wire format reads the model table (service.core: pure), and nothing else of the service."""
    assert not imported_roots(path) & {"flask", "flask_smorest", "werkzeug"}
    service = {name for name in imported_modules(path) if name.split(".")[0] == "service"}
    assert all(name == "service.core" or name.startswith("service.core.") for name in service)


@pytest.mark.parametrize("path", modules("service") + modules("schemas"), ids=lambda p: p.name)
def test_modules_open_with_a_docstring_and_stay_small(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize("path", modules("service/views"), ids=lambda p: p.name)
def test_views_are_thin(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            lines = body[-1].end_lineno - body[0].lineno + 1
            assert lines <= 15, f"{node.name} has {lines} lines"
