"""No clinical number outside the model table: not in the core's code, not in the wire format."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "service" / "core"

UNIT_CONSTANTS = {
    "CENTIMETRES_PER_METRE",
    "FLESCH_KINCAID",
}  # conversions and a formula, not clinical numbers
SCHEMAS = ROOT / "schemas"


def _named_constants(tree: ast.Module, allowed) -> set[int]:
    """The literals under module-level assignments whose every target name is allowed."""
    return {
        id(inner)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and all(isinstance(t, ast.Name) and allowed(t.id) for t in node.targets)
        for inner in ast.walk(node.value)
    }


def _stray_numbers(path: Path, allowed) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = _named_constants(tree, allowed)
    return [
        f"{path.name}:{node.lineno} has the literal {node.value}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and node.value not in (0, 1)
        and id(node) not in named
    ]


def test_no_clinical_number_in_the_scoring_code():
    """Numbers live in the table: the core's code holds no numeric literal but 0, 1 and units."""
    for path in CORE.glob("*.py"):
        assert not _stray_numbers(path, UNIT_CONSTANTS.__contains__)


def test_no_number_hidden_in_the_wire_format():
    """The schemas take their numbers from the table or from a named constant (examples aside)."""
    for path in SCHEMAS.glob("*.py"):
        if path.name != "examples.py":
            assert not _stray_numbers(path, str.isupper)


def test_the_literal_check_can_fail(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("LIMIT = 139\nlimit = 139\n", encoding="utf-8")
    assert _stray_numbers(planted, str.isupper) == ["planted.py:2 has the literal 139"]
