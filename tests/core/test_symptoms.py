"""Symptom review: urgency from the warning signs, never a change in risk."""

from __future__ import annotations

import pytest

from schemas import SYMPTOMS
from tests.conftest import make_patient


def test_the_contract_lists_every_symptom_of_the_model(model):
    assert tuple(model.symptoms) == SYMPTOMS


@pytest.mark.parametrize(("code", "urgency"), [(c, None) for c in SYMPTOMS])
def test_every_symptom_has_its_urgency(assessor, model, code, urgency):
    review = assessor(make_patient(symptoms=[code]))["symptom_review"]
    assert review["urgency"] == model.symptoms[code].urgency
    assert review["findings"][0]["code"] == code
    assert review["advice"] == model.urgencies[review["urgency"]]


def test_urgency_groups_match_the_model_spec(model):
    groups = {u: [c for c, s in model.symptoms.items() if s.urgency == u] for u in model.urgencies}
    assert len(groups["emergency"]) == 7 and len(groups["prompt"]) == 8 and len(groups["routine"]) == 1


def test_most_urgent_first_and_duplicates_once(assessor):
    codes = [
        "painless_hardware_sensation_early",
        "pain_worse_with_load",
        "saddle_numbness",
        "pain_worse_with_load",
    ]
    review = assessor(make_patient(symptoms=codes))["symptom_review"]
    assert review["urgency"] == "emergency"
    assert [f["code"] for f in review["findings"]] == [
        "saddle_numbness",
        "pain_worse_with_load",
        "painless_hardware_sensation_early",
    ]


def test_no_symptoms_reported_is_routine(assessor):
    review = assessor(make_patient(symptoms=[]))["symptom_review"]
    assert (review["urgency"], review["findings"]) == ("routine", [])


def test_a_low_risk_never_softens_an_emergency_and_symptoms_never_change_points(assessor):
    plain = assessor(make_patient())
    with_signs = assessor(make_patient(symptoms=["bladder_or_bowel_control_loss"]))
    assert with_signs["symptom_review"]["urgency"] == "emergency"
    assert with_signs["outcomes"] == plain["outcomes"]
    assert plain["symptom_review"] is None
