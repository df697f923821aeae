"""Optional refinements: every rule and boundary of the model's refinements (models 1.1 and 1.2)."""

from __future__ import annotations

import pytest

from tests.helpers import H, P, entry, make_patient, points_of

REFINEMENTS = [
    # (changes, factor, (P, H))
    ({"smoking": "former", "months_since_quit": 0}, "smoking", (1, 0)),
    ({"smoking": "former", "months_since_quit": 5}, "smoking", (1, 0)),
    ({"smoking": "former", "months_since_quit": 6}, "smoking", (0, 0)),
    ({"bmi": 29.9}, "obesity", (0, 0)),
    ({"bmi": 30}, "obesity", (1, 0)),  # a one-level construct: no hardware point
    ({"bmi": 30, "levels_fused": 4}, "obesity", (1, 0)),
    ({"bmi": 30, "levels_fused": 5}, "obesity", (1, 1)),  # a long construct
    ({"bmi": 34.9, "levels_fused": 5}, "obesity", (1, 1)),
    ({"bmi": 45, "levels_fused": 12}, "obesity", (1, 1)),  # no step at 35
    ({"bmi": 25, "obesity": True}, "obesity", (0, 0)),  # BMI decides
    ({"height_cm": 170, "weight_kg": 86.7}, "obesity", (1, 0)),  # BMI 30.0
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
    ({"diabetes": False, "hba1c": 9.5}, "hba1c", (1, 0)),  # 9.5 % is diabetes: the worse value
    ({"diabetes": False, "hba1c": 9.5}, "diabetes", (2, 0)),
    ({"diabetes": None, "hba1c": 6.5}, "diabetes", (2, 0)),  # HbA1c decides an unknown status
    ({"diabetes": True, "hba1c": 5.5}, "diabetes", (2, 0)),  # a low HbA1c never clears a diagnosis
    ({"steroid_use": True}, "steroid_use", (1, 0)),  # its hardware effect is a bone marker
    ({"steroid_use": True}, "osteoporosis", (0, 1)),
    ({"steroid_use": True, "t_score": -0.5}, "osteoporosis", (0, 0)),  # a density was measured
    ({"steroid_use": True, "hounsfield_units": 200}, "osteoporosis", (0, 0)),
    ({"steroid_use": True, "t_score": -2.6}, "osteoporosis", (1, 3)),
    ({"vitamin_d_deficiency": True}, "vitamin_d_deficiency", (1, 0)),
    ({"vitamin_d_deficiency": True}, "osteoporosis", (0, 1)),
    ({"vitamin_d_deficiency": True, "steroid_use": True}, "osteoporosis", (0, 1)),  # the worst, once
    ({"other_nicotine": True}, "other_nicotine", (1, 0)),
    ({"other_nicotine": True, "smoking": "former"}, "other_nicotine", (1, 0)),
    ({"other_nicotine": True, "smoking": "current"}, "other_nicotine", (0, 0)),  # smoking counts it
    ({"other_nicotine": False}, "other_nicotine", (0, 0)),
    ({"prior_spine_surgery": True}, "prior_spine_surgery", (1, 1)),
    ({"fusion_to_sacrum_or_pelvis": True}, "fusion_to_sacrum_or_pelvis", (0, 1)),
    ({"three_column_osteotomy": True}, "three_column_osteotomy", (1, 2)),
    # 1.2: three or more rods take the osteotomy to 0 (zhao-2023), two rods keep it
    ({"three_column_osteotomy": True, "rods_across_osteotomy": "two"}, "three_column_osteotomy", (1, 2)),
    (
        {"three_column_osteotomy": True, "rods_across_osteotomy": "three_or_more"},
        "three_column_osteotomy",
        (0, 0),
    ),
    # 1.2: age adds no non-union points to a cervical fusion; the hardware age point stays
    ({"age": 60, "region": "cervical"}, "age", (0, 0)),
    ({"age": 70, "region": "cervical"}, "age", (0, 1)),
    ({"age": 70, "region": "lumbar"}, "age", (2, 1)),
    ({"age": 70, "region": "thoracolumbar"}, "age", (2, 1)),
    # 1.2: approach and sex score nothing
    ({"age": 70, "approach": "anterior", "sex": "male", "region": "cervical"}, "age", (0, 1)),
    ({"steroid_use": False}, "steroid_use", (0, 0)),
    ({"diabetes": True, "region": "cervical"}, "diabetes", (0, 0)),
    ({"diabetes": True, "region": "lumbar"}, "diabetes", (2, 0)),
    (
        {"diabetes": True, "region": "cervical", "hba1c": 8.5},
        "hba1c",
        (0, 0),
    ),  # 1.2: only where diabetes scores
    ({"diabetes": True, "region": "lumbar", "hba1c": 8.5}, "hba1c", (1, 0)),
]


@pytest.mark.parametrize(("changes", "factor", "points"), REFINEMENTS, ids=[repr(r[0]) for r in REFINEMENTS])
def test_refinement_points(assessor, changes, factor, points):
    result = assessor(make_patient(**changes))
    assert (points_of(result, P, factor), points_of(result, H, factor)) == points


def test_computed_bmi_is_rounded_to_one_decimal_before_classifying(assessor):
    result = assessor(make_patient(height_cm=170, weight_kg=86.6, levels_fused=5))  # 29.965 -> 30.0
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
        ({"t_score": -2.8}, H, {"cho-2018", "lechtholz-zey-2024"}, "DXA T-score \u22122.8"),
        ({"fragility_fracture": True}, H, {"zhao-2024"}, "fragility fracture in the last 3 years"),
        ({"fragility_fracture": True}, P, {"zhao-2024"}, "fragility fracture in the last 3 years"),
        ({"hounsfield_units": 100}, H, {"zou-2020"}, "CT density 100 HU"),
        ({"hounsfield_units": 100}, P, {"zhao-2024", "lechtholz-zey-2024"}, "CT density 100 HU"),
        ({"osteopenia": True}, P, {"khalid-2020"}, "osteopenia diagnosis"),
        ({"osteoporosis": True}, H, {"cho-2018", "lechtholz-zey-2024"}, None),
        ({"smoking": "former", "months_since_quit": 2}, P, {"glassman-2000"}, "quit 2 months ago"),
        ({"bmi": 36.5, "levels_fused": 5}, H, {"daniels-2018", "smith-2014"}, "BMI 36.5"),
        ({"diabetes": True, "hba1c": 8.2}, P, {"farnham-2025"}, None),
        ({"steroid_use": True}, H, {"hofler-2018"}, "long-term steroids, no density measured"),
        ({"other_nicotine": True}, P, {"khalafallah-2025", "lawand-2024"}, None),
        ({"three_column_osteotomy": True}, P, {"gupta-2018"}, None),
        (
            {"three_column_osteotomy": True, "rods_across_osteotomy": "two"},
            H,
            {"noh-2021"},
            "two rods across the osteotomy",
        ),
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
    assert diabetes["evidence"][0]["reference"] == "cervical-dm-2025"
    assert "cervical-dm-2025" in {r["id"] for r in result["references"]}


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
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
        ({"hba1c": 7, "diabetes": None}, []),  # it decides an unknown status: nothing contradicts it
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
        ({"diabetes": True, "hba1c": 8.4}, P, [("hba1c_below_8", "moderate", 2)]),
        ({"bmi": 37, "levels_fused": 5}, H, [("reach_bmi_under_30", "moderate", 2)]),
        ({"bmi": 37}, H, []),  # a short construct: losing weight changes nothing here
        ({"smoking": "former", "months_since_quit": 1}, P, [("stay_smoke_free", "low", 0)]),
        ({"smoking": "current"}, P, [("stop_smoking", "low", 1)]),  # a recent quitter, not a former smoker
        ({"other_nicotine": True}, P, [("stop_all_nicotine", "low", 0)]),
        # Stopping smoking alone changes nothing (the other nicotine then counts); both together do.
        ({"other_nicotine": True, "smoking": "current"}, P, [("all_changes", "low", 1)]),
        ({"vitamin_d_deficiency": True}, P, []),  # correcting it has not been shown to change fusion
        ({"age": 70, "levels_fused": 5, "prior_spine_surgery": True, "three_column_osteotomy": True}, P, []),
    ],
)
def test_what_if_for_every_modifiable_factor_present(assessor, changes, outcome, expected):
    what_if = assessor(make_patient(**changes))["outcomes"][outcome]["what_if"]
    assert [(w["id"], w["risk"], w["points"]) for w in what_if] == expected
