"""The model's numbers: worked examples, extremes and every threshold boundary (models 1.1 and 1.2)."""

from __future__ import annotations

import pytest

from tests.helpers import H, P, make_patient, points_of

# The model's worked examples (model 1.0; 1.1 changes the third: obesity adds no hardware point to a
# two-level construct, so hardware failure is the non-union link alone; 1.2 the fifth: six levels add
# one non-union point, 2–7 levels scoring 1).
WORKED_EXAMPLES = [
    pytest.param(make_patient(), (0, "low"), (0, "low"), id="50y-never-1-level"),
    pytest.param(make_patient(age=58, smoking="current"), (3, "moderate"), (0, "low"), id="58y-smoker"),
    pytest.param(
        make_patient(age=62, smoking="current", diabetes=True, levels_fused=2, obesity=True),
        (7, "high"),
        (1, "low"),
        id="62y-smoker-diabetes-2-levels-obese",
    ),
    pytest.param(
        make_patient(age=72, osteoporosis=True, levels_fused=2),
        (4, "moderate"),
        (4, "moderate"),
        id="72y-osteoporosis",
    ),
    pytest.param(
        make_patient(
            age=70, smoking="current", osteoporosis=True, diabetes=True, levels_fused=6, obesity=True
        ),
        (9, "high"),
        (8, "high"),
        id="70y-everything",
    ),
]


@pytest.mark.parametrize(("patient", "pseudarthrosis", "hardware"), WORKED_EXAMPLES)
def test_worked_examples_hold(assess, patient, pseudarthrosis, hardware):
    result = assess(patient)
    for outcome, (points, tier) in ((P, pseudarthrosis), (H, hardware)):
        assert (result["outcomes"][outcome]["points"], result["outcomes"][outcome]["risk"]) == (points, tier)


def test_worked_example_hardware_breakdown(assess):
    """62 y smoker with diabetes, 2 levels: hardware is the link alone; obesity adds nothing to a short
    construct, smoking and diabetes nothing directly."""
    result = assess(make_patient(age=62, smoking="current", diabetes=True, levels_fused=2, obesity=True))
    contributing = {e["factor"]: e["points"] for e in result["outcomes"][H]["contributing_factors"]}
    assert contributing == {"non_union_link": 1}
    obesity = next(e for e in result["outcomes"][H]["other_factors_considered"] if e["factor"] == "obesity")
    assert obesity["points"] == 0 and obesity["evidence"][0]["reference"] == "de-liyis-2025"


def test_every_factor_absent_is_low_low(assessor):
    result = assessor(make_patient(age=18))
    for outcome in (P, H):
        block = result["outcomes"][outcome]
        assert (block["points"], block["risk"], block["contributing_factors"]) == (0, "low", [])
        assert len(block["other_factors_considered"]) == 6
    assert result["references"] == []


def test_every_factor_at_worst_is_high_high(assessor, model):
    oldest, most_levels = model.inputs["age"]["max"], model.inputs["levels_fused"]["max"]
    worst = make_patient(
        age=oldest,
        smoking="current",
        osteoporosis=True,
        diabetes=True,
        levels_fused=most_levels,
        obesity=True,
    )
    result = assessor(worst)
    assert (result["outcomes"][P]["points"], result["outcomes"][P]["risk"]) == (10, "high")
    assert (result["outcomes"][H]["points"], result["outcomes"][H]["risk"]) == (8, "high")


@pytest.mark.parametrize(
    ("age", "pseudarthrosis", "hardware"),
    [(54, 0, 0), (55, 1, 0), (64, 1, 0), (65, 2, 1)],
)
def test_age_boundaries(assessor, age, pseudarthrosis, hardware):
    result = assessor(make_patient(age=age))
    assert (points_of(result, P, "age"), points_of(result, H, "age")) == (pseudarthrosis, hardware)


@pytest.mark.parametrize(
    ("levels", "pseudarthrosis", "hardware"),
    [(1, 0, 0), (2, 1, 0), (3, 1, 1), (4, 1, 1), (5, 1, 2), (7, 1, 2), (8, 2, 2), (24, 2, 2)],
)
def test_levels_boundaries(assessor, levels, pseudarthrosis, hardware):
    result = assessor(make_patient(levels_fused=levels))
    assert (points_of(result, P, "levels_fused"), points_of(result, H, "levels_fused")) == (
        pseudarthrosis,
        hardware,
    )


@pytest.mark.parametrize(
    ("change", "pseudarthrosis", "hardware"),
    [
        ({"smoking": "current"}, 2, 0),
        ({"smoking": "former"}, 0, 0),
        ({"osteoporosis": True}, 1, 3),
        ({"diabetes": True}, 2, 0),
        ({"obesity": True}, 1, 0),
        ({"obesity": True, "levels_fused": 5}, 1, 1),
    ],
    ids=["current-smoker", "former-smoker", "osteoporosis", "diabetes", "obesity", "obesity-5-levels"],
)
def test_single_factor_points(assessor, change, pseudarthrosis, hardware):
    result = assessor(make_patient(**change))
    factor = next(iter(change))
    assert (points_of(result, P, factor), points_of(result, H, factor)) == (pseudarthrosis, hardware)


def test_linkage_only_when_pseudarthrosis_is_high(assessor):
    four = assessor(make_patient(age=65, smoking="current"))  # pseudarthrosis 4: moderate
    five = assessor(make_patient(age=65, smoking="current", obesity=True))  # 5: high
    linked = [e["factor"] for e in five["outcomes"][H]["contributing_factors"]]
    assert "non_union_link" not in [e["factor"] for e in four["outcomes"][H]["contributing_factors"]]
    assert "non_union_link" in linked
    assert five["outcomes"][H]["points"] == 1 + 1  # age 1, link 1 (obesity: a one-level construct)


def test_linkage_says_smoking_and_diabetes_act_only_through_it(assessor):
    result = assessor(make_patient(smoking="current", diabetes=True, levels_fused=3))
    link = next(e for e in result["outcomes"][H]["contributing_factors"] if e["factor"] == "non_union_link")
    assert "Smoking and diabetes affect this outcome only through this link." in link["explanation"]
    smoking = next(e for e in result["outcomes"][H]["other_factors_considered"] if e["factor"] == "smoking")
    assert "only through the risk of non-union" in smoking["note"]
