"""Input warnings: inputs the model can score but a clinician should double-check."""

from __future__ import annotations

import pytest

from service.core.inputs import input_warnings
from tests.helpers import make_patient as patient


@pytest.mark.parametrize(
    ("changes", "code", "fields"),
    [
        (
            {"osteoporosis": False, "t_score": -3.0},
            "t_score_contradicts_osteoporosis",
            ["t_score", "osteoporosis"],
        ),
        (
            {"osteoporosis": True, "t_score": 0.5},
            "osteoporosis_with_higher_t_score",
            ["t_score", "osteoporosis"],
        ),
        ({"obesity": False, "bmi": 41.0}, "bmi_contradicts_obesity", ["bmi", "obesity"]),
        (
            {"obesity": True, "height_cm": 180, "weight_kg": 70},
            "bmi_contradicts_obesity",
            ["height_cm", "weight_kg", "obesity"],
        ),
        ({"diabetes": False, "hba1c": 7.2}, "hba1c_diabetic_range_without_diabetes", ["hba1c", "diabetes"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_contradiction_is_named_with_its_fields(model, changes, code, fields):
    found = input_warnings(model, patient(**changes))
    assert [(w["code"], w["fields"]) for w in found] == [(code, fields)]
    assert found[0]["message"] == model.warnings[code]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"osteoporosis": True, "t_score": -3.0},
        {"obesity": True, "bmi": 41.0},
        {"diabetes": None, "hba1c": 9.0},
    ],
)
def test_consistent_or_unknown_inputs_give_no_warning(model, changes):
    assert input_warnings(model, patient(**changes)) == []
