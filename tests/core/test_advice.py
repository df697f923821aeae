"""Advice without points: measure the bone where its density is unknown and likely to matter, and
after surgery what still helps healing (model 1.2)."""

from __future__ import annotations

import pytest

from service.core.advice import phase_of
from tests.helpers import make_patient


def _ids(assessor, **inputs):
    return [item["id"] for item in assessor(make_patient(**inputs))["advice"]]


@pytest.mark.parametrize(
    ("inputs", "advised"),
    [
        ({"age": 65, "sex": "female"}, True),
        ({"age": 64, "sex": "female"}, False),
        ({"age": 69, "sex": "male"}, False),
        ({"age": 70, "sex": "male"}, True),
        ({"age": 65}, True),  # no sex given: the lower age (conservative)
        ({"age": 64}, False),
        ({"age": None}, True),  # age unknown: it may be over the threshold
        ({"age": 80, "sex": "male", "t_score": -1.2}, False),  # a density was measured
        ({"age": 80, "sex": "male", "hounsfield_units": 140}, False),
        ({"age": 50, "steroid_use": True}, True),  # steroids without a density
        ({"age": 50, "steroid_use": True, "t_score": -0.5}, False),
        ({"age": 50, "steroid_use": False}, False),
    ],
)
def test_measure_bone_density_when_the_bone_is_unknown(assessor, inputs, advised):
    assert ("measure_bone_density" in _ids(assessor, osteoporosis=None, **inputs)) is advised


def test_a_known_bone_status_needs_no_measurement_by_age(assessor):
    assert _ids(assessor, osteoporosis=False, age=80, sex="female") == []
    assert _ids(assessor, osteoporosis=True, age=80, sex="female") == []
    assert _ids(assessor, osteoporosis=False, age=40, steroid_use=True) == ["measure_bone_density"]


def test_after_surgery_the_advice_without_points(assessor):
    """With days since surgery: glucose control for the wound, bone treatment via the bone team."""
    item = next(
        a
        for a in assessor(make_patient(diabetes=True, days_since_surgery=3))["advice"]
        if a["id"] == "glucose_control_for_wound"
    )
    assert item == {
        "id": "glucose_control_for_wound",
        "advice": "keep blood glucose under control while the wound heals",
        "phases": ["post_operative"],
    }
    assert _ids(assessor, diabetes=True, region="cervical", days_since_surgery=3) == [
        "glucose_control_for_wound"
    ]
    assert _ids(assessor, diabetes=True) == []  # before surgery the scored what-ifs and advice say it
    assert _ids(assessor, diabetes=None, days_since_surgery=3) == []  # unknown: never advised on
    assert _ids(assessor, osteoporosis=True, days_since_surgery=300) == ["bone_treatment"]
    assert _ids(assessor, t_score=-1.5, days_since_surgery=300) == ["bone_treatment"]
    assert _ids(assessor, osteoporosis=True) == []


def test_the_phase_is_after_surgery_once_days_are_given():
    assert (phase_of({}), phase_of({"days_since_surgery": 0})) == ("pre_operative", "post_operative")
