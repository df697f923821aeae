"""The table's sections beside the factors, as loaded: what-ifs with their phases, advice, effects
weighed and not scored (model 1.2)."""

from __future__ import annotations


def test_what_ifs_carry_their_phases(model):
    phases = {w.id: w.phases for w in model.what_if}
    assert phases == {
        "stop_smoking": ("pre_operative", "post_operative"),
        "stay_smoke_free": ("pre_operative", "post_operative"),
        "stop_all_nicotine": ("pre_operative",),
        "reach_bmi_under_30": ("pre_operative",),
        "hba1c_below_8": ("pre_operative",),
    }


def test_the_advice_rules(model):
    advice = {item.id: item for item in model.advice}
    density = advice["measure_bone_density"]
    assert dict(density.from_age) == {"female": 65, "male": 70, "not_given": 65}
    assert density.with_input == "steroid_use" and density.advice.startswith(
        "measure bone density (DXA or CT"
    )
    assert advice["glucose_control_for_wound"].phases == ("post_operative",)
    assert advice["bone_treatment"].levels == {"osteoporosis_grade", "osteopenia_grade"}


def test_sex_is_considered_and_not_scored(model):
    """zou-2020's male OR for screw loosening is listed, completed from its study, and scores nothing."""
    (considered,) = model.considered
    (row,) = considered.evidence
    assert (considered.input, considered.outcome, row.reference) == ("sex", "hardware_failure", "zou-2020")
    assert (row.design, row.outcome_source, row.certainty) == ("cohort", "imaging", "C")
    assert "OR 2.065" in row.effect and "C-grade evidence" in considered.why
    assert all(f.input != "sex" for f in model.factors)


def test_the_linkage_is_loaded_with_its_evidence(model):
    link = model.linkage
    assert (link.source, link.target, link.when_tier, link.points) == (
        "pseudarthrosis",
        "hardware_failure",
        "high",
        1,
    )
    assert [e.reference for e in link.evidence] == ["daniels-2018", "cho-2018"]
