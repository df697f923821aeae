"""Symptom review: urgency from the warning signs and the phase, never a change in risk (model 1.1)."""

from __future__ import annotations

import copy

import pytest

from schemas import SYMPTOMS
from service.core import ModelError, build_model
from tests.helpers import make_patient

# Every code with the urgency and sign the model's specification gives it (1.1: limb numbness or
# tingling of any kind is an emergency; six new codes; radiating pain alone is prompt).
EXPECTED = {
    "new_limb_weakness_or_numbness": ("emergency", "neurological_deficit"),
    "new_radiating_pain_or_tingling": ("emergency", "neurological_deficit"),
    "bladder_or_bowel_control_loss": ("emergency", "neurological_deficit"),
    "saddle_numbness": ("emergency", "neurological_deficit"),
    "fever_with_wound_signs": ("emergency", "infection"),
    "wound_drainage": ("emergency", "infection"),
    "high_fever_with_chills": ("emergency", "infection"),
    "neck_swelling_or_swallowing_difficulty": ("emergency", "thrombosis_breathing"),
    "sudden_severe_pain": ("emergency", "mechanical"),
    "severe_pain_after_fall_or_injury": ("emergency", "mechanical"),
    "breathlessness": ("emergency", "thrombosis_breathing"),
    "painful_swollen_leg": ("emergency", "thrombosis_breathing"),
    "radiating_pain_without_numbness": ("prompt", "mechanical"),
    "fever_without_wound_signs": ("prompt", "infection"),
    "feeling_faint_or_unwell": ("prompt", "infection"),
    "pain_worse_with_load": ("prompt", "mechanical"),
    "pain_returning_after_improvement": ("prompt", "mechanical"),
    "instability_or_clicking_with_pain": ("prompt", "mechanical"),
    "pain_at_operated_level": ("prompt", "mechanical"),
    "pain_worse_with_cough_or_strain": ("prompt", "mechanical"),
    "hardware_felt_under_skin": ("prompt", "hardware_sensation"),
    "pain_limiting_daily_life": ("prompt", "mechanical"),
    "painless_hardware_sensation_early": ("routine", "hardware_sensation"),
}


def test_the_contract_lists_every_symptom_of_the_model(model):
    assert tuple(model.symptoms) == SYMPTOMS == tuple(EXPECTED)


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_every_symptom_has_its_urgency_and_sign(assessor, model, code, expected):
    review = assessor(make_patient(symptoms=[code]))["symptom_review"]
    finding = review["findings"][0]
    assert (review["urgency"], finding["sign"]) == expected
    assert finding["code"] == code and review["advice"] == model.urgencies[review["urgency"]]
    assert "phase" not in review and "note" not in review


@pytest.mark.parametrize(
    ("days", "phase"),
    [(0, "early"), (41, "early"), (42, "healing"), (365, "healing"), (366, "late"), (3650, "late")],
)
def test_days_since_surgery_give_the_phase(assessor, days, phase):
    review = assessor(make_patient(symptoms=[], days_since_surgery=days))["symptom_review"]
    assert review["phase"] == phase


@pytest.mark.parametrize(
    ("days", "urgency"),
    [(None, "routine"), (10, "routine"), (41, "routine"), (42, "prompt"), (900, "prompt")],
)
def test_a_painless_hardware_sensation_is_routine_only_early(assessor, days, urgency):
    patient = make_patient(symptoms=["painless_hardware_sensation_early"], days_since_surgery=days)
    assert assessor(patient)["symptom_review"]["urgency"] == urgency


@pytest.mark.parametrize(
    ("codes", "days", "noted"),
    [
        (["pain_worse_with_load"], 200, True),
        (["pain_at_operated_level"], 400, True),
        (["pain_worse_with_load"], 20, False),  # early: it is not the time of non-union
        (["pain_worse_with_load"], None, False),
        (["wound_drainage"], 200, False),  # not a mechanical finding
    ],
)
def test_mechanical_findings_in_the_healing_or_late_phase_say_imaging_decides(assessor, codes, days, noted):
    review = assessor(make_patient(symptoms=codes, days_since_surgery=days))["symptom_review"]
    assert ("imaging decides" in review.get("note", "")) == noted


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
    with_signs = assessor(make_patient(symptoms=["bladder_or_bowel_control_loss"], days_since_surgery=3))
    assert with_signs["symptom_review"]["urgency"] == "emergency"
    assert with_signs["outcomes"] == plain["outcomes"]
    assert plain["symptom_review"] is None


@pytest.mark.parametrize(
    "break_it",
    [
        lambda s: s.update(urgency="prompt"),
        lambda s: s.update(urgency_by_phase={"late": "prompt"}),
    ],
    ids=["prompt", "prompt-when-late"],
)
def test_a_table_with_a_non_emergency_neurological_deficit_refuses_to_load(model, break_it):
    table = copy.deepcopy(dict(model.document))
    symptom = next(
        s for s in table["symptom_review"]["symptoms"] if s["code"] == "new_radiating_pain_or_tingling"
    )
    break_it(symptom)
    with pytest.raises(ModelError, match="neurological_deficit sign must always be emergency"):
        build_model(table)
