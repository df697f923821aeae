"""Refinements over HTTP: strict types, bounds, and the cross-field 422 rules."""

from __future__ import annotations

import pytest

from tests.helpers import make_patient, problem_of

URL = "/v1/assessments"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"smoking": "never", "months_since_quit": 3},
            "months_since_quit",
            "Only applies when smoking is 'former'.",
        ),
        (
            {"smoking": "current", "months_since_quit": 3},
            "months_since_quit",
            "Only applies when smoking is 'former'.",
        ),
        (
            {"smoking": None, "months_since_quit": 3},
            "months_since_quit",
            "Only applies when smoking is 'former'.",
        ),
        ({"height_cm": 170}, "weight_kg", "Required together with height_cm and weight_kg."),
        (
            {"weight_kg": 80, "height_cm": None},
            "height_cm",
            "Required together with height_cm and weight_kg.",
        ),
        (
            {"bmi": 30, "height_cm": 170, "weight_kg": 80},
            "bmi",
            "Give either bmi, or height_cm and weight_kg, not both.",
        ),
        (
            {"region": "cervical", "fusion_to_sacrum_or_pelvis": True},
            "fusion_to_sacrum_or_pelvis",
            "A cervical fusion does not reach the sacrum or pelvis.",
        ),
        ({"bmi": "31"}, "bmi", "Not a valid number."),
        ({"bmi": True}, "bmi", "Not a valid number."),
        ({"bmi": 9.9}, "bmi", "Must be greater than or equal to 10 and less than or equal to 100."),
        ({"t_score": "-2.5"}, "t_score", "Not a valid number."),
        ({"hba1c": 2}, "hba1c", "Must be greater than or equal to 3 and less than or equal to 25."),
        (
            {"months_since_quit": 2.5, "smoking": "former"},
            "months_since_quit",
            "Not a valid integer: write it without a decimal point (70, not 70.0).",
        ),
        ({"steroid_use": 1}, "steroid_use", "Not a valid boolean."),
        ({"region": "sacral"}, "region", "Must be one of: cervical, thoracic, lumbar, thoracolumbar."),
        ({"symptoms": "saddle_numbness"}, "symptoms", "Not a valid list."),
        ({"symptoms": ["headache"]}, "symptoms.0", None),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else None,
)
def test_bad_refinements_are_422_naming_the_field(client, changes, field, message):
    problem = problem_of(client.post(URL, json=make_patient(**changes)), 422)
    assert list(problem["errors"]) == [field]
    if message:
        assert problem["errors"][field] == [message]


def test_null_refinements_mean_not_provided(client):
    nulls = dict.fromkeys(
        ["months_since_quit", "bmi", "t_score", "hba1c", "region", "symptoms", "steroid_use"]
    )
    response = client.post(URL, json=make_patient(**nulls))
    assert response.status_code == 200
    assert response.get_json() == client.post(URL, json=make_patient()).get_json()


def test_every_refinement_together(client):
    patient = make_patient(
        age=67,
        smoking="former",
        months_since_quit=4,
        height_cm=165,
        weight_kg=98,
        t_score=-2.1,
        hounsfield_units=125,
        fragility_fracture=False,
        diabetes=True,
        hba1c=8.6,
        steroid_use=True,
        vitamin_d_deficiency=True,
        prior_spine_surgery=True,
        fusion_to_sacrum_or_pelvis=True,
        three_column_osteotomy=True,
        levels_fused=6,
        region="thoracolumbar",
        symptoms=["pain_returning_after_improvement"],
    )
    body = client.post(URL, json=patient).get_json()
    assert body["outcomes"]["pseudarthrosis"]["risk"] == "high"
    assert body["outcomes"]["hardware_failure"]["risk"] == "high"
    assert body["symptom_review"]["urgency"] == "prompt"
