"""Unknown values: a core factor sent as null widens the range and never reads as absent."""

from __future__ import annotations

import pytest

from tests.helpers import H, P, make_patient

CORE = ("smoking", "osteoporosis", "diabetes", "levels_fused", "age", "obesity")


@pytest.mark.parametrize("factor", CORE)
def test_an_unknown_factor_is_listed_and_never_shown_as_considered(assessor, factor):
    result = assessor(make_patient(**{factor: None}))
    assert [u["factor"] for u in result["unknown_factors"]] == [factor]
    for block in result["outcomes"].values():
        shown = block["contributing_factors"] + block["other_factors_considered"]
        assert factor not in [e["factor"] for e in shown]
        assert "unknown" in block["summary"]


@pytest.mark.parametrize(
    ("factor", "pseudarthrosis", "hardware"),
    [
        ("smoking", ("low", "moderate"), ("low", "low")),
        ("osteoporosis", ("low", "low"), ("low", "moderate")),
        ("diabetes", ("low", "moderate"), ("low", "low")),
        ("levels_fused", ("low", "moderate"), ("low", "moderate")),
        ("age", ("low", "moderate"), ("low", "low")),
        ("obesity", ("low", "low"), ("low", "low")),
    ],
)
def test_range_runs_from_absent_to_worst(assessor, factor, pseudarthrosis, hardware):
    """The headline `risk` is the highest tier of the range (model 1.2), `points` the known points."""
    result = assessor(make_patient(**{factor: None}))
    for outcome, expected in ((P, pseudarthrosis), (H, hardware)):
        block = result["outcomes"][outcome]
        assert (block["risk_range"]["lowest"], block["risk_range"]["highest"]) == expected
        assert block["risk"] == expected[1]
        assert block["determinate"] == (expected[0] == expected[1])
        assert block["points"] == block["points_range"]["lowest"] <= block["points_range"]["highest"]


def test_linkage_follows_the_pseudarthrosis_range(assessor):
    """58 y smoker, bone and diabetes unknown: non-union 3 (moderate) to 6 (high)."""
    result = assessor(make_patient(age=58, smoking="current", osteoporosis=None, diabetes=None))
    p, h = result["outcomes"][P], result["outcomes"][H]
    assert (p["points"], p["risk_range"]) == (3, {"lowest": "moderate", "highest": "high"})
    assert (p["risk"], p["points_range"], p["determinate"]) == ("high", {"lowest": 3, "highest": 6}, False)
    # hardware: 0 known; worst adds osteoporosis 3 and, non-union being high, the link 1 = 4
    assert (h["points"], h["risk_range"]) == (0, {"lowest": "low", "highest": "moderate"})
    assert (h["risk"], h["points_range"]) == ("moderate", {"lowest": 0, "highest": 4})
    assert p["summary"] == (
        "Moderate to high risk of non-union (osteoporosis diagnosis and diabetes unknown); "
        "counted: smoking and age."
    )


def test_all_unknown(assessor):
    result = assessor(dict.fromkeys(CORE))
    assert len(result["unknown_factors"]) == 6
    for block in result["outcomes"].values():
        assert (block["points"], block["risk_range"]) == (0, {"lowest": "low", "highest": "high"})
        assert (block["risk"], block["determinate"]) == ("high", False)  # never a reassuring "low"
        assert block["summary"].endswith("(6 factors unknown); no known factor adds points.")
        assert block["contributing_factors"] == block["other_factors_considered"] == []


def test_a_refinement_still_grades_the_bone_when_the_diagnosis_is_unknown(assessor):
    result = assessor(make_patient(osteoporosis=None, t_score=-1.8))
    bone = result["outcomes"][H]["contributing_factors"][0]
    assert (bone["factor"], bone["value"], bone["points"], bone["basis"]) == (
        "osteoporosis",
        None,
        1,
        "DXA T-score \u22121.8",
    )
    assert result["outcomes"][H]["risk_range"] == {"lowest": "low", "highest": "moderate"}
    assert result["unknown_factors"] == [
        {
            "factor": "osteoporosis",
            "label": "osteoporosis diagnosis",
            "worst_case": "bone quality in the osteoporosis range",
        }
    ]


def test_a_bmi_makes_an_unknown_obesity_flag_known(assessor):
    result = assessor(make_patient(obesity=None, bmi=33))
    assert result["unknown_factors"] == []
    assert result["outcomes"][P]["points"] == 1


def test_unknown_diabetes_in_a_cervical_fusion_cannot_add_non_union_points(assessor):
    result = assessor(make_patient(diabetes=None, region="cervical"))
    assert result["outcomes"][P]["risk_range"] == {"lowest": "low", "highest": "low"}


@pytest.mark.parametrize(("hba1c", "points"), [(9, 1 + 2 + 1), (6.5, 1 + 2)])
def test_an_hba1c_in_the_diabetic_range_decides_an_unknown_diabetes_status(assessor, hba1c, points):
    result = assessor(make_patient(age=60, diabetes=None, hba1c=hba1c))  # age 1, diabetes 2, HbA1c 1
    assert result["unknown_factors"] == []
    block = result["outcomes"][P]
    assert block["points"] == points and block["risk_range"]["lowest"] == block["risk_range"]["highest"]


def test_a_lower_hba1c_leaves_an_unknown_diabetes_status_unknown(assessor):
    """Model 1.2: a treated diabetic can sit below 6.5 %, so the range stays open."""
    result = assessor(make_patient(age=60, diabetes=None, hba1c=6.4))
    assert [u["factor"] for u in result["unknown_factors"]] == ["diabetes"]
    block = result["outcomes"][P]
    assert (block["points_range"], block["risk_range"]) == (
        {"lowest": 1, "highest": 3},
        {"lowest": "low", "highest": "moderate"},
    )
