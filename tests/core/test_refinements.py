"""Optional refinements: every rule and boundary of model-v1.md "Optional refinements"."""

from __future__ import annotations

import pytest

from tests.conftest import make_patient
from tests.core.test_scoring import H, P, points_of


def entry(result, outcome, factor):
    block = result["outcomes"][outcome]
    return next(
        e for e in block["contributing_factors"] + block["other_factors_considered"] if e["factor"] == factor
    )


REFINEMENTS = [
    # (changes, factor, (P, H))
    ({"smoking": "former", "months_since_quit": 0}, "smoking", (1, 0)),
    ({"smoking": "former", "months_since_quit": 5}, "smoking", (1, 0)),
    ({"smoking": "former", "months_since_quit": 6}, "smoking", (0, 0)),
    ({"bmi": 29.9}, "obesity", (0, 0)),
    ({"bmi": 30}, "obesity", (1, 1)),
    ({"bmi": 34.9}, "obesity", (1, 1)),
    ({"bmi": 35}, "obesity", (1, 2)),
    ({"bmi": 25, "obesity": True}, "obesity", (0, 0)),  # BMI decides
    ({"height_cm": 170, "weight_kg": 86.7}, "obesity", (1, 1)),  # BMI 30.0
    ({"height_cm": 170, "weight_kg": 86.4}, "obesity", (0, 0)),  # BMI 29.9
    ({"t_score": -2.5}, "osteoporosis", (1, 3)),
    ({"t_score": -2.4}, "osteoporosis", (1, 1)),
    ({"t_score": -1.0}, "osteoporosis", (1, 1)),
    ({"t_score": -0.9}, "osteoporosis", (0, 0)),
    ({"hounsfield_units": 109.9}, "osteoporosis", (1, 3)),
    ({"hounsfield_units": 110}, "osteoporosis", (1, 1)),
    ({"hounsfield_units": 150}, "osteoporosis", (1, 1)),
    ({"hounsfield_units": 150.1}, "osteoporosis", (0, 0)),
    ({"fragility_fracture": True}, "osteoporosis", (1, 3)),
    ({"fragility_fracture": False}, "osteoporosis", (0, 0)),
    (
        {"osteoporosis": True, "t_score": -3.1, "hounsfield_units": 80, "fragility_fracture": True},
        "osteoporosis",
        (1, 3),
    ),
    ({"osteoporosis": True, "t_score": -1.5}, "osteoporosis", (1, 3)),  # the diagnosis still counts
    ({"t_score": -1.5, "hounsfield_units": 90}, "osteoporosis", (1, 3)),  # the worst marker
    ({"diabetes": True, "hba1c": 7.9}, "hba1c", (0, 0)),
    ({"diabetes": True, "hba1c": 8.0}, "hba1c", (1, 0)),
    ({"diabetes": False, "hba1c": 9.5}, "hba1c", (0, 0)),
    ({"steroid_use": True}, "steroid_use", (1, 1)),
    ({"vitamin_d_deficiency": True}, "vitamin_d_deficiency", (1, 1)),
    ({"prior_spine_surgery": True}, "prior_spine_surgery", (1, 1)),
    ({"fusion_to_sacrum_or_pelvis": True}, "fusion_to_sacrum_or_pelvis", (0, 1)),
    ({"three_column_osteotomy": True}, "three_column_osteotomy", (1, 2)),
    ({"steroid_use": False}, "steroid_use", (0, 0)),
    ({"diabetes": True, "region": "cervical"}, "diabetes", (0, 0)),
    ({"diabetes": True, "region": "lumbar"}, "diabetes", (2, 0)),
    ({"diabetes": True, "region": "cervical", "hba1c": 8.5}, "hba1c", (1, 0)),
]


@pytest.mark.parametrize(("changes", "factor", "points"), REFINEMENTS, ids=[repr(r[0]) for r in REFINEMENTS])
def test_refinement_points(assessor, changes, factor, points):
    result = assessor(make_patient(**changes))
    assert (points_of(result, P, factor), points_of(result, H, factor)) == points


def test_computed_bmi_is_rounded_to_one_decimal_before_classifying(assessor):
    result = assessor(make_patient(height_cm=170, weight_kg=86.6))  # 29.965 -> 30.0
    assert entry(result, H, "obesity")["basis"] == "BMI 30 from height and weight"
    assert points_of(result, H, "obesity") == 1


def test_the_bone_group_counts_once(assessor):
    worst = assessor(
        make_patient(osteoporosis=True, t_score=-3, hounsfield_units=80, fragility_fracture=True)
    )
    assert [e["factor"] for e in worst["outcomes"][H]["contributing_factors"]] == ["osteoporosis"]
    assert worst["outcomes"][H]["points"] == 3


@pytest.mark.parametrize(
    ("changes", "outcome", "references", "basis"),
    [
        ({"t_score": -2.8}, H, {"cho-2018", "lechtholz-zey-2024"}, "DXA T-score -2.8"),
        ({"fragility_fracture": True}, H, {"zhao-2024"}, "fragility fracture in the last 3 years"),
        ({"fragility_fracture": True}, P, {"zhao-2024"}, "fragility fracture in the last 3 years"),
        ({"hounsfield_units": 100}, H, {"zou-2020"}, "CT density 100 HU"),
        ({"hounsfield_units": 100}, P, {"khalid-2020", "lechtholz-zey-2024"}, "CT density 100 HU"),
        ({"osteoporosis": True}, H, {"cho-2018", "lechtholz-zey-2024"}, None),
        ({"smoking": "former", "months_since_quit": 2}, P, {"cessation-series"}, "quit 2 months ago"),
        ({"bmi": 36.5}, H, {"daniels-2018", "smith-2014"}, "BMI 36.5"),
        ({"diabetes": True, "hba1c": 8.2}, P, {"hba1c-2025"}, None),
    ],
)
def test_evidence_and_basis_follow_the_deciding_input(assessor, changes, outcome, references, basis):
    result = assessor(make_patient(**changes))
    contributing = result["outcomes"][outcome]["contributing_factors"][-1]  # the refined factor
    assert {e["reference"] for e in contributing["evidence"]} == references
    assert contributing.get("basis") == basis
    assert references <= {r["id"] for r in result["references"]}


def test_cervical_diabetes_is_considered_with_its_evidence(assessor):
    result = assessor(make_patient(diabetes=True, region="cervical"))
    diabetes = entry(result, P, "diabetes")
    assert diabetes["points"] == 0 and "no link between diabetes and non-union" in diabetes["note"]
    assert diabetes["evidence"][0]["reference"] == "cervical-dm"
    assert "cervical-dm" in {r["id"] for r in result["references"]}


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"age": 17}, [("age_under_18", ["age"])]),
        ({"t_score": -2.6}, [("t_score_contradicts_osteoporosis", ["t_score", "osteoporosis"])]),
        ({"t_score": -2.4}, []),
        (
            {"osteoporosis": True, "t_score": -2.4},
            [("osteoporosis_with_higher_t_score", ["t_score", "osteoporosis"])],
        ),
        ({"osteoporosis": True, "t_score": -2.5}, []),
        (
            {"hounsfield_units": 100},
            [("hounsfield_contradicts_osteoporosis", ["hounsfield_units", "osteoporosis"])],
        ),
        ({"hounsfield_units": 130}, []),
        (
            {"fragility_fracture": True},
            [("fragility_fracture_contradicts_osteoporosis", ["fragility_fracture", "osteoporosis"])],
        ),
        ({"osteoporosis": None, "t_score": -3}, []),
        ({"bmi": 31}, [("bmi_contradicts_obesity", ["bmi", "obesity"])]),
        ({"bmi": 29, "obesity": True}, [("bmi_contradicts_obesity", ["bmi", "obesity"])]),
        ({"bmi": 31, "obesity": True}, []),
        (
            {"height_cm": 160, "weight_kg": 90},
            [("bmi_contradicts_obesity", ["height_cm", "weight_kg", "obesity"])],
        ),
        ({"obesity": None, "bmi": 31}, []),
        ({"hba1c": 6.5}, [("hba1c_diabetic_range_without_diabetes", ["hba1c", "diabetes"])]),
        ({"hba1c": 6.4}, []),
        ({"hba1c": 9, "diabetes": True}, []),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else None,
)
def test_warnings(assessor, model, changes, codes):
    warnings = assessor(make_patient(**changes))["warnings"]
    assert [(w["code"], w["fields"]) for w in warnings] == codes
    assert all(w["message"] == model.warnings[w["code"]] for w in warnings)


@pytest.mark.parametrize(
    ("changes", "outcome", "expected"),
    [
        (
            {"diabetes": True, "hba1c": 8.4},
            P,
            [{"change": "bring HbA1c below 8.0 %", "risk": "moderate", "points": 2}],
        ),
        ({"bmi": 37}, "hardware_failure", [{"change": "reach a BMI under 30", "risk": "low", "points": 0}]),
        (
            {"smoking": "former", "months_since_quit": 1},
            P,
            [{"change": "stay smoke-free until 6 months after quitting", "risk": "low", "points": 0}],
        ),
        ({"age": 70, "levels_fused": 5, "prior_spine_surgery": True, "three_column_osteotomy": True}, P, []),
    ],
)
def test_what_if_for_every_modifiable_factor_present(assessor, changes, outcome, expected):
    assert assessor(make_patient(**changes))["outcomes"][outcome]["what_if"] == expected
