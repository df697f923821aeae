"""Wording (model 1.1): bone quality named by what graded it, low summaries that name what counted,
and tiers that say what they mean."""

from __future__ import annotations

import pytest

from tests.helpers import H, P, make_patient

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"t_score": -2.8}, f"low bone density (DXA T-score {MINUS}2.8)"),
        ({"t_score": -1.6}, f"low bone density (DXA T-score {MINUS}1.6)"),
        ({"hounsfield_units": 95}, "low bone density (CT 95 HU)"),
        ({"fragility_fracture": True}, "previous fragility fracture"),
        ({"osteopenia": True}, "osteopenia"),
        ({"osteoporosis": True}, "osteoporosis"),
        ({"osteoporosis": True, "t_score": -3.0}, "osteoporosis"),  # the diagnosis names it
    ],
)
def test_bone_quality_is_named_by_what_graded_it(assessor, changes, label):
    result = assessor(make_patient(age=70, levels_fused=3, **changes))
    for outcome in (P, H):
        bone = next(
            e for e in result["outcomes"][outcome]["contributing_factors"] if e["factor"] == "osteoporosis"
        )
        assert bone["label"] == label
        if "osteoporosis" not in changes:
            assert "osteoporosis" not in bone["label"]  # never without a diagnosis
    assert label in result["outcomes"][H]["summary"]


def test_steroids_name_the_bone_for_implants_only(assessor):
    result = assessor(make_patient(steroid_use=True))
    hardware = next(e for e in result["outcomes"][H]["contributing_factors"] if e["factor"] == "osteoporosis")
    assert hardware["label"] == "long-term steroids (bone quality)" and hardware["points"] == 1
    considered = next(
        e for e in result["outcomes"][P]["other_factors_considered"] if e["factor"] == "osteoporosis"
    )
    assert considered["label"] == "bone quality" and considered["points"] == 0


@pytest.mark.parametrize(
    ("changes", "summary"),
    [
        ({"age": 60}, "Low risk of non-union; counted: age."),
        ({}, "Low risk of non-union: none of the factors checked adds points."),
        ({"age": 60, "smoking": None}, "Low to moderate risk of non-union (smoking unknown); counted: age."),
        ({"age": 60, "smoking": "current"}, "Moderate risk of non-union, driven mainly by smoking and age."),
    ],
)
def test_a_low_summary_names_what_counted_never_what_drove_it(assessor, changes, summary):
    text = assessor(make_patient(**changes))["outcomes"][P]["summary"]
    assert text == summary
    if text.startswith("Low"):
        assert "driven mainly by" not in text


def test_every_tier_says_what_it_means_in_relative_odds(model):
    meanings = {tier["id"]: tier["meaning"] for tier in model.document["tiers"]}
    assert "1.5 times the odds" in meanings["low"]
    assert "2 to 5 times the odds" in meanings["moderate"]
    assert "7 times the odds" in meanings["high"]
    assert "not a probability" in model.document["tier_note"]
    assert model.document["reviewed"]
    assert all(change["reviewed_by"] for entry in model.document["history"] for change in entry["changes"])
