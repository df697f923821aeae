"""The model table: version, integrity rules, and no clinical number outside it."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest
import yaml

from service.core import ModelError
from service.core.load import MODEL_PATH, build_model

CORE = Path(__file__).resolve().parents[2] / "service" / "core"


@pytest.fixture
def table():
    return yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))


def test_model_identity(model):
    assert (model.id, model.version) == ("spinal-fusion-complications", "1.1.0")
    assert model.tiers == (("low", 0), ("moderate", 2), ("high", 5))


def _factor(table, factor_id):
    return next(f for f in table["factors"] if f["id"] == factor_id)


def _break_reference(t):
    _factor(t, "smoking")["levels"][0]["pseudarthrosis"]["evidence"][0]["reference"] = "nobody-2099"


def _break_certainty(t):
    _factor(t, "smoking")["levels"][0]["pseudarthrosis"]["evidence"][0]["certainty"] = "E"


def _drop_explanation(t):
    del _factor(t, "diabetes")["levels"][0]["pseudarthrosis"]["explanation"]


def _negative_points(t):
    _factor(t, "age")["levels"][1]["pseudarthrosis"]["points"] = -1


def _unsorted_bands(t):
    _factor(t, "age")["levels"][1]["min"] = 70


def _unknown_level(t):
    _factor(t, "smoking")["unknown"]["highest"] = "chain"


def _uncited_reference(t):
    t["references"].append({"id": "orphan-2020", "citation": "Nobody. 2020."})


def _tiers_not_from_zero(t):
    t["tiers"][0]["min_points"] = 1


def _advice_missing(t):
    del _factor(t, "obesity")["advice"]


def _what_if_on_fixed_factor(t):
    t["what_if"][0]["factor"] = "age"


def _missing_key(t):
    del t["linkage"]


@pytest.mark.parametrize(
    "breakage",
    [
        _break_reference,
        _break_certainty,
        _drop_explanation,
        _negative_points,
        _unsorted_bands,
        _unknown_level,
        _uncited_reference,
        _tiers_not_from_zero,
        _advice_missing,
        _what_if_on_fixed_factor,
        _missing_key,
    ],
)
def test_an_inconsistent_table_is_refused(table, breakage):
    build_model(copy.deepcopy(table))  # the table as committed passes
    broken = copy.deepcopy(table)
    breakage(broken)
    with pytest.raises(ModelError):
        build_model(broken)


UNIT_CONSTANTS = {"CENTIMETRES_PER_METRE"}  # conversions, not clinical numbers
SCHEMAS = CORE.parents[1] / "schemas"


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
