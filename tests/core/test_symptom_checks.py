"""The symptom review's load-time checks (model 1.2, section 10): each rule refuses a broken copy of
the committed table, naming what broke."""

from __future__ import annotations

import pytest

from service.core import ModelError, build_model
from service.core.symptom_checks import symptom_problems


def symptom(table, code):
    return next(s for s in table["symptom_review"]["symptoms"] if s["code"] == code)


def alias(table, code):
    return next(a for a in table["symptom_review"]["aliases"] if a["code"] == code)


def combination(table, combination_id):
    return next(c for c in table["symptom_review"]["combinations"] if c["id"] == combination_id)


def review(table):
    return table["symptom_review"]


# (id, how to break the table, what the refusal says)
BREAKS = [
    ("no-same-day", lambda t: review(t)["urgencies"].pop(1), "urgencies must be exactly"),
    (
        "five-urgencies",
        lambda t: review(t)["urgencies"].append({"id": "whenever", "advice": "Later."}),
        "exactly",
    ),
    ("reordered", lambda t: review(t)["urgencies"].reverse(), "urgencies must be exactly"),
    ("no-advice", lambda t: review(t)["urgencies"][1].update(advice=""), "each with advice"),
    ("no-label", lambda t: symptom(t, "wound_pus").pop("label"), "symptom wound_pus: needs a label"),
    (
        "no-patient-label",
        lambda t: symptom(t, "wound_pus").pop("patient_label"),
        "needs a label, a patient_label",
    ),
    ("no-meaning", lambda t: symptom(t, "bowel_stopped").update(meaning=""), "symptom bowel_stopped: needs"),
    ("no-sign", lambda t: symptom(t, "bowel_stopped").pop("sign"), "symptom bowel_stopped: needs"),
    ("unknown-sign", lambda t: symptom(t, "bowel_stopped").update(sign="gut"), "unknown sign 'gut'"),
    (
        "a-phase-without-urgency",
        lambda t: symptom(t, "pain_uncontrolled")["urgency_by_phase"].pop("late"),
        "symptom pain_uncontrolled: needs a known urgency for each phase",
    ),
    (
        "unknown-urgency",
        lambda t: symptom(t, "pain_uncontrolled")["urgency_by_phase"].update(healing="soonish"),
        "needs a known urgency for each phase",
    ),
    (
        "two-sentences",
        lambda t: symptom(t, "wound_pus").update(patient_label="Pus comes out. It smells."),
        "symptom wound_pus: the patient_label must be one sentence at grade 8 or below",
    ),
    (
        "hard-words",
        lambda t: symptom(t, "wound_pus").update(
            patient_label="Purulent exudate emanates from the postoperative incision."
        ),
        "must be one sentence at grade 8",
    ),
    (
        "neuro-same-day-late",
        lambda t: symptom(t, "saddle_numbness")["urgency_by_phase"].update(late="same_day"),
        "symptom saddle_numbness: a neurological_deficit sign must always be emergency",
    ),
    (
        "neuro-no-longer-an-emergency-sign",
        lambda t: review(t).update(emergency_signs=[]),
        "the neurological_deficit sign must be an emergency sign",
    ),
    (
        "early-non-union",
        lambda t: symptom(t, "pain_at_operated_level").update(meaning="It may be a non-union."),
        "symptom pain_at_operated_level: a mechanical meaning",
    ),
    (
        "early-loosening",
        lambda t: symptom(t, "pain_worse_with_load").update(meaning="A screw may be loosening."),
        "must not name non-union or loosening",
    ),
    ("fevers-equal", lambda t: review(t).update(high_fever_c=38.0), "high_fever_c must be above fever_c"),
    ("fevers-swapped", lambda t: review(t).update(fever_c=39.0), "high_fever_c must be above fever_c"),
    (
        "alias-is-current",
        lambda t: alias(t, "wound_drainage").update(code="wound_clear_fluid"),
        "alias wound_clear_fluid: it is a current code",
    ),
    (
        "alias-to-nothing",
        lambda t: alias(t, "wound_drainage").update(now="wound_gone"),
        "alias wound_drainage: its code 'wound_gone' does not exist",
    ),
    (
        "alias-less-urgent",
        lambda t: alias(t, "wound_drainage").update(now="wound_clear_fluid"),
        "alias wound_drainage: wound_clear_fluid is less urgent than it was",
    ),
    (
        "alias-without-its-old-urgency",
        lambda t: alias(t, "wound_drainage")["was"].pop("late"),
        "alias wound_drainage: needs its earlier urgency in each phase",
    ),
    (
        "alias-past-its-end",
        lambda t: alias(t, "wound_drainage").update(until="1.0.0"),
        "alias wound_drainage: it lasts until 1.0.0",
    ),
    (
        "no-deprecation-warning",
        lambda t: t["warnings"].pop("deprecated_symptom_code"),
        "the deprecated_symptom_code warning must be defined",
    ),
    (
        "combination-unknown-sign",
        lambda t: combination(t, "infection_with_pain")["all_of"][0].update(sign="sepsis"),
        "combination infection_with_pain: unknown sign or code",
    ),
    (
        "combination-unknown-code",
        lambda t: combination(t, "infection_with_pain")["all_of"][1]["codes"].append("pain_everywhere"),
        "combination infection_with_pain: unknown sign or code",
    ),
    (
        "combination-unknown-phase",
        lambda t: combination(t, "infection_with_pain")["phases"].append("forever"),
        "combination infection_with_pain: unknown phase",
    ),
    (
        "combination-unknown-urgency",
        lambda t: combination(t, "infection_with_pain").update(at_least="soon"),
        "combination infection_with_pain: needs a known urgency and a note",
    ),
    (
        "abscess-same-day",
        lambda t: combination(t, "infection_with_neuro").update(at_least="same_day"),
        "combination infection_with_neuro: infection and neurological_deficit must be emergency in every",
    ),
    (
        "abscess-not-late",
        lambda t: combination(t, "infection_with_neuro")["phases"].remove("late"),
        "combination infection_with_neuro",
    ),
    (
        "abscess-without-neuro",
        lambda t: combination(t, "infection_with_neuro")["all_of"].pop(),
        "combination infection_with_neuro",
    ),
    (
        "abscess-gone",
        lambda t: review(t)["combinations"].pop(),
        "combination infection_with_neuro",
    ),
    ("unknown-region", lambda t: symptom(t, "neck_hoarse_voice").update(regions=["neck"]), "unknown region"),
    (
        "note-unknown-sign",
        lambda t: review(t)["phase_notes"][0]["signs"].append("gut"),
        "phase note on mechanical, gut: unknown sign or phase",
    ),
    (
        "unknown-is-a-phase",
        lambda t: review(t).update(unknown_phase="late"),
        "the unknown phase must not be a phase",
    ),
]


@pytest.mark.parametrize(("break_it", "message"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_a_table_breaking_a_symptom_rule_refuses_to_load(table, break_it, message):
    break_it(table)
    with pytest.raises(ModelError, match=message):
        build_model(table)


def test_the_committed_table_keeps_every_symptom_rule(model):
    assert list(symptom_problems(model)) == []
