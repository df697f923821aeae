"""Symptom review: urgency per phase, combinations, aliases and "asked, none reported" (model 1.2),
never a change in risk."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import SYMPTOMS
from service.core import Assessor, build_model
from service.core.symptoms import SymptomReview
from tests.helpers import make_patient

# The specification's code table (model 1.2, section 1): sign and urgency letters per phase,
# early · healing · late (E emergency, S same_day, P prompt, R routine).
SPEC = {
    "new_limb_weakness_or_numbness": ("neurological_deficit", "EEE"),
    "new_limb_tingling_or_numbness": ("neurological_deficit", "EEE"),
    "bladder_or_bowel_control_loss": ("neurological_deficit", "EEE"),
    "saddle_numbness": ("neurological_deficit", "EEE"),
    "gait_or_hand_clumsiness": ("neurological_deficit", "EEE"),
    "fever_with_wound_signs": ("infection", "EEE"),
    "high_fever_or_shaking_chills": ("infection", "EEE"),
    "wound_pus": ("infection", "EEE"),
    "spinal_fluid_leak": ("spinal_fluid_leak", "EEE"),
    "neck_airway_warning": ("airway", "EEE"),
    "breathlessness": ("thrombosis_breathing", "EEE"),
    "chest_pain_or_coughing_blood": ("thrombosis_breathing", "EEE"),
    "painful_swollen_leg": ("thrombosis_breathing", "EEE"),
    "fainting_or_collapse": ("general", "EEE"),
    "confusion_or_drowsiness": ("general", "EEE"),
    "sudden_severe_pain": ("mechanical", "EEE"),
    "severe_pain_after_fall_or_injury": ("mechanical", "EEE"),
    "wound_red_warm_or_swollen": ("infection", "SSS"),
    "wound_clear_fluid": ("infection", "SSS"),
    "wound_or_skin_breakdown": ("infection", "SSS"),
    "fever_without_wound_signs": ("infection", "SSP"),
    "pain_uncontrolled": ("mechanical", "SPP"),
    "pain_getting_worse": ("mechanical", "SPP"),
    "feeling_unwell": ("general", "SPP"),
    "radiating_pain_without_numbness": ("nerve_irritation", "PPP"),
    "pain_returning_after_improvement": ("mechanical", "PPP"),
    "instability_or_clicking_with_pain": ("mechanical", "PPP"),
    "pain_limiting_daily_life": ("mechanical", "PPP"),
    "new_deformity_or_leaning": ("mechanical", "PPP"),
    "hardware_felt_under_skin": ("hardware_sensation", "PPP"),
    "neck_hoarse_voice": ("airway", "PPP"),
    "bowel_stopped": ("general", "PPP"),
    "pain_worse_with_load": ("mechanical", "RPP"),
    "pain_at_operated_level": ("mechanical", "RPP"),
    "pain_worse_with_cough_or_strain": ("mechanical", "RPP"),
    "neck_mild_dysphagia": ("airway", "RPP"),
    "painless_hardware_sensation": ("hardware_sensation", "RPP"),
}
LEVELS = {"E": "emergency", "S": "same_day", "P": "prompt", "R": "routine"}
DAYS = {"early": 10, "healing": 200, "late": 800}  # a day count in each phase
# The 1.1 codes the specification keeps as aliases (its `←` column).
ALIASES = {
    "new_radiating_pain_or_tingling": "new_limb_tingling_or_numbness",
    "high_fever_with_chills": "high_fever_or_shaking_chills",
    "wound_drainage": "wound_pus",
    "neck_swelling_or_swallowing_difficulty": "neck_airway_warning",
    "feeling_faint_or_unwell": "fainting_or_collapse",
    "painless_hardware_sensation_early": "painless_hardware_sensation",
}


def review_of(assessor, codes, days=None, **changes):
    return assessor(make_patient(symptoms=codes, days_since_surgery=days, **changes))["symptom_review"]


def test_the_table_and_the_contract_hold_the_specified_codes_in_order(model):
    assert tuple(model.symptoms) == SYMPTOMS == tuple(SPEC)
    assert {code: alias.now for code, alias in model.aliases.items()} == ALIASES
    assert tuple(model.urgencies) == ("emergency", "same_day", "prompt", "routine")


@pytest.mark.parametrize("phase", DAYS)
@pytest.mark.parametrize(("code", "expected"), SPEC.items(), ids=list(SPEC))
def test_every_symptom_has_its_sign_and_its_urgency_in_each_phase(assessor, model, code, expected, phase):
    sign, letters = expected
    review = review_of(assessor, [code], DAYS[phase])
    finding = review["findings"][0]
    wanted = LEVELS[letters[["early", "healing", "late"].index(phase)]]
    assert (finding["code"], finding["sign"], finding["urgency"]) == (code, sign, wanted)
    assert review["phase"] == phase and review["status"] == "reported"
    assert finding["patient_label"] == model.symptoms[code].patient_label


@pytest.mark.parametrize(("code", "expected"), SPEC.items(), ids=list(SPEC))
def test_without_days_a_finding_takes_its_most_urgent_phase_level(assessor, code, expected):
    review = review_of(assessor, [code])
    most_urgent = min(expected[1], key="ESPR".index)
    assert review["findings"][0]["urgency"] == LEVELS[most_urgent]
    assert "phase" not in review and "note" not in review


@pytest.mark.parametrize(
    ("days", "phase"),
    [(0, "early"), (41, "early"), (42, "healing"), (365, "healing"), (366, "late"), (3650, "late")],
)
def test_days_since_surgery_give_the_phase(assessor, days, phase):
    assert review_of(assessor, [], days)["phase"] == phase


def test_fever_thresholds_are_the_tables_in_every_fever_text(model):
    review = model.document["symptom_review"]
    assert (review["fever_c"], review["high_fever_c"]) == (38.0, 38.5)
    fever, high = model.symptoms["fever_without_wound_signs"], model.symptoms["high_fever_or_shaking_chills"]
    assert "38.0 °C" in fever.label and "38.0 °C" in fever.patient_label
    assert "38.5 °C" in high.label and "38.5 °C" in high.patient_label
    texts = [t for s in model.symptoms.values() for t in (s.label, s.patient_label, s.meaning)]
    assert not [t for t in texts if "{" in t]


@pytest.mark.parametrize(
    ("codes", "days", "urgency", "combination"),
    [
        (["fever_without_wound_signs", "pain_limiting_daily_life"], 800, "prompt", None),  # late: not named
        (["fever_without_wound_signs", "pain_limiting_daily_life"], 200, "same_day", "infection_with_pain"),
        (["fever_without_wound_signs", "pain_limiting_daily_life"], None, "same_day", "infection_with_pain"),
        (
            ["wound_red_warm_or_swollen", "pain_returning_after_improvement"],
            300,
            "same_day",
            "infection_with_pain",
        ),
        (["fever_without_wound_signs", "pain_at_operated_level"], 800, "prompt", None),  # not a listed pain
        (["wound_red_warm_or_swollen", "saddle_numbness"], 800, "emergency", "infection_with_neuro"),
        (["wound_drainage", "new_radiating_pain_or_tingling"], None, "emergency", "infection_with_neuro"),
        (["pain_getting_worse", "pain_limiting_daily_life"], 10, "same_day", None),  # no infection sign
    ],
)
def test_combinations_raise_the_urgency_in_their_phases(assessor, codes, days, urgency, combination):
    review = review_of(assessor, codes, days)
    assert review["urgency"] == urgency
    assert [c["id"] for c in review["combinations"]] == ([combination] if combination else [])


def test_a_combination_raises_the_review_but_never_a_findings_own_level(table):
    """In the table every infection finding is already same_day in the phases infection_with_pain
    names; with a milder fever (prompt while healing), the combination alone lifts the review."""
    fever = next(s for s in table["symptom_review"]["symptoms"] if s["code"] == "fever_without_wound_signs")
    fever["urgency_by_phase"]["healing"] = "prompt"
    review = Assessor(build_model(table))(
        make_patient(symptoms=["fever_without_wound_signs", "pain_getting_worse"], days_since_surgery=200)
    )["symptom_review"]
    assert [f["urgency"] for f in review["findings"]] == ["prompt", "prompt"]
    assert review["urgency"] == "same_day"
    assert (
        review["combinations"][0]["note"]
        == "Infection signs with worsening pain: rule out deep infection today."
    )


def test_infection_with_a_neurological_sign_notes_a_possible_abscess(assessor):
    review = review_of(assessor, ["wound_red_warm_or_swollen", "new_limb_weakness_or_numbness"], 20)
    assert review["combinations"] == [
        {
            "id": "infection_with_neuro",
            "urgency": "emergency",
            "note": "Possible spinal epidural abscess: urgent MRI.",
        }
    ]


@pytest.mark.parametrize(("alias", "code"), ALIASES.items(), ids=list(ALIASES))
def test_an_old_code_is_read_as_its_new_code_with_a_warning_naming_it(assessor, model, alias, code):
    result = assessor(make_patient(symptoms=[alias, alias]))
    assert [f["code"] for f in result["symptom_review"]["findings"]] == [code]
    (warning,) = result["warnings"]
    assert warning["code"] == "deprecated_symptom_code" and warning["fields"] == ["symptoms"]
    assert f"`{alias}`" in warning["message"] and f"`{code}`" in warning["message"]
    assert model.aliases[alias].until == "2.0.0"


def test_an_old_code_and_its_new_code_together_are_one_finding(assessor):
    review = review_of(assessor, ["wound_drainage", "wound_pus"])
    assert [f["code"] for f in review["findings"]] == ["wound_pus"]


@pytest.mark.parametrize(("alias", "code"), ALIASES.items(), ids=list(ALIASES))
def test_no_old_code_is_read_as_less_urgent_than_model_1_1_made_it(model, alias, code):
    rank = list(model.urgencies).index
    was = model.aliases[alias].was
    assert all(rank(model.symptoms[code].by_phase[p]) <= rank(level) for p, level in was.items())


@pytest.mark.parametrize(
    ("codes", "days", "noted"),
    [
        (["pain_worse_with_load"], 200, "non-union"),
        (["pain_at_operated_level"], 400, "next level"),
        (["radiating_pain_without_numbness"], 400, "next level"),
        (["wound_red_warm_or_swollen"], 400, "late infection"),
        (["pain_worse_with_load"], 20, None),  # early: it is not the time of non-union
        (["pain_worse_with_load"], None, None),
        (["wound_pus"], 200, None),  # not a mechanical finding
    ],
)
def test_phase_notes_follow_the_sign_and_the_phase(assessor, codes, days, noted):
    review = review_of(assessor, codes, days)
    note = review.get("note")
    assert (note is None) if noted is None else (noted in note and "imaging decides" in note)


def test_most_urgent_first_and_duplicates_once(assessor):
    codes = ["painless_hardware_sensation", "pain_worse_with_load", "saddle_numbness", "pain_worse_with_load"]
    review = review_of(assessor, codes, 10)
    assert review["urgency"] == "emergency"
    assert [f["code"] for f in review["findings"]] == [
        "saddle_numbness",
        "painless_hardware_sensation",
        "pain_worse_with_load",
    ]


def test_asked_with_none_reported_is_a_routine_review_and_not_asked_is_none(assessor):
    review = review_of(assessor, [])
    assert (review["status"], review["urgency"], review["findings"]) == ("none_reported", "routine", [])
    assert assessor(make_patient())["symptom_review"] is None
    assert assessor(make_patient(symptoms=None))["symptom_review"] is None


def test_a_low_risk_never_softens_an_emergency_and_symptoms_never_change_points(assessor):
    plain = assessor(make_patient())
    with_signs = assessor(make_patient(symptoms=["bladder_or_bowel_control_loss"], days_since_surgery=3))
    assert with_signs["symptom_review"]["urgency"] == "emergency"
    assert with_signs["outcomes"] == plain["outcomes"]


def test_the_review_reads_the_patients_symptoms_and_days(model):
    review = SymptomReview(model)
    assert review.of({"symptoms": ["pain_worse_with_load"], "days_since_surgery": 200})["urgency"] == "prompt"
    assert review.of({}) is None
    assert review.warnings(None) == []


# The reviewer's vignettes (issue 17) that 1.1 under- or over-triaged.
@pytest.mark.parametrize(
    ("codes", "days", "region", "allowed"),
    [
        (["fainting_or_collapse"], None, None, {"emergency"}),
        (["fainting_or_collapse"], 300, None, {"emergency"}),
        (["fever_without_wound_signs", "pain_getting_worse"], 14, None, {"emergency", "same_day"}),
        (["high_fever_or_shaking_chills", "pain_getting_worse"], 14, None, {"emergency", "same_day"}),
        (["wound_red_warm_or_swollen"], 10, None, {"same_day"}),
        (["neck_mild_dysphagia"], 5, "cervical", {"routine"}),
        (["pain_at_operated_level"], 7, None, {"routine"}),
    ],
    ids=[
        "fainting",
        "fainting-late",
        "fever-38.6-worse-pain-day-14",
        "high-fever-worse-pain",
        "red-wound-no-fever",
        "acdf-dysphagia",
        "week-1",
    ],
)
def test_the_reviewers_vignettes(assessor, codes, days, region, allowed):
    review = review_of(assessor, codes, days, region=region)
    assert review["urgency"] in allowed


def test_week_one_pain_at_the_operated_level_never_says_non_union(assessor):
    review = review_of(assessor, ["pain_at_operated_level"], 7)
    text = " ".join([review["advice"], review.get("note", ""), *(str(f) for f in review["findings"])])
    assert "non-union" not in text.lower() and "loos" not in text.lower()


@given(st.lists(st.sampled_from((*SPEC, *ALIASES)), max_size=5), st.integers(0, 3650))
def test_without_days_a_review_is_never_calmer_than_with_them(model, codes, days):
    """Not knowing the phase never makes a review less urgent than knowing it (model 1.2)."""
    review, rank = SymptomReview(model), list(model.urgencies).index
    assert rank(review(codes)["urgency"]) <= rank(review(codes, days)["urgency"])
