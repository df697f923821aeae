"""The symptom outcomes of model 1.2's worked examples, through the core's assessor."""

from __future__ import annotations

import pytest

from service.core.symptoms import SymptomReview
from tests.helpers.symptom_examples import ABSCESS_NOTE, EXAMPLES, SCORED


@pytest.mark.parametrize("name", SCORED)
def test_each_scored_example_gets_its_review(assessor, name):
    patient, urgency, combinations, deprecated = SCORED[name]
    result = assessor(patient)
    review = result["symptom_review"]
    assert (review["status"], review["urgency"]) == ("reported", urgency)
    assert [c["id"] for c in review["combinations"]] == combinations
    warned = [w for w in result["warnings"] if w["code"] == "deprecated_symptom_code"]
    assert [w["message"].split("`")[1] for w in warned] == deprecated


def test_example_2_notes_a_possible_abscess(assessor):
    review = assessor(EXAMPLES["2-abscess"][0])["symptom_review"]
    assert review["combinations"][0]["note"] == ABSCESS_NOTE


def test_example_4_is_an_emergency_though_the_patient_gets_no_tiers(model):
    patient, urgency, _, _ = EXAMPLES["4-minor-red-flag"]
    assert patient["age"] < model.adult_age
    assert SymptomReview(model).of(patient)["urgency"] == urgency == "emergency"


def test_example_5_reads_the_old_code_at_its_most_urgent_phase_level(assessor):
    review = assessor(EXAMPLES["5-old-code-no-days"][0])["symptom_review"]
    assert [f["code"] for f in review["findings"]] == ["painless_hardware_sensation"]
    assert "phase" not in review  # no days: routine early, prompt later, so prompt
