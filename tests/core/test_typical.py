"""Typical published rates: the class a patient's inputs name, the rate shown per outcome, and the
rounding of published estimates (model 1.2)."""

from __future__ import annotations

import pytest

from service.core.typical import compile_when, matches, overlap, range_text, whole
from tests.helpers import H, P, make_patient

LUMBAR = {"region": "lumbar", "approach": "posterior", "levels_fused": 2}
LONG = {
    "region": "thoracolumbar",
    "approach": "posterior",
    "levels_fused": 8,
    "fusion_to_sacrum_or_pelvis": True,
}


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"region": "cervical", "approach": "anterior", "levels_fused": 1}, "acdf_1"),
        ({"region": "cervical", "approach": "anterior", "levels_fused": 2}, "acdf_2"),
        ({"region": "cervical", "approach": "anterior", "levels_fused": 3}, "acdf_3_plus"),
        ({"region": "cervical", "approach": "anterior", "levels_fused": 24}, "acdf_3_plus"),
        ({"region": "cervical", "approach": "posterior", "levels_fused": 1}, None),  # posterior neck
        ({"region": "cervical", "levels_fused": 1}, None),  # approach not given: no class
        (
            {"region": "cervical", "approach": "anterior", "levels_fused": 1, "prior_spine_surgery": True},
            None,
        ),
        (LUMBAR, "lumbar_1_2"),
        ({**LUMBAR, "approach": "combined", "levels_fused": 1}, "lumbar_1_2"),
        ({**LUMBAR, "levels_fused": 3}, None),
        ({**LUMBAR, "levels_fused": None}, None),  # a needed input unknown: no class
        ({**LUMBAR, "three_column_osteotomy": True}, None),
        ({**LUMBAR, "three_column_osteotomy": False, "prior_spine_surgery": False}, "lumbar_1_2"),
        ({**LUMBAR, "prior_spine_surgery": True}, None),  # short classes need no prior surgery
        ({**LUMBAR, "approach": "anterior"}, None),
        ({**LONG, "three_column_osteotomy": False}, "long_to_pelvis"),
        ({**LONG, "three_column_osteotomy": True, "prior_spine_surgery": True}, "long_to_pelvis_3co"),
        (LONG, None),  # the osteotomy decides between the long classes: not given, no class
        ({**LONG, "three_column_osteotomy": False, "fusion_to_sacrum_or_pelvis": False}, None),
        ({**LONG, "three_column_osteotomy": False, "levels_fused": 4}, None),
        ({**LONG, "three_column_osteotomy": False, "region": "lumbar"}, None),
    ],
)
def test_the_class_follows_the_inputs(assessor, inputs, expected):
    found = assessor.model.typical.classify(make_patient(**inputs))
    assert (found.id if found else None) == expected
    assert {o["typical_rate_class"] for o in assessor.score(make_patient(**inputs)).values()} == {expected}


def _rate(assessor, outcome, **inputs):
    block = assessor(make_patient(**inputs))["outcomes"][outcome]["typical_rate"]
    return None if block is None else (block["class"]["id"], block["low"], block["high"])


def test_each_shown_rate_is_its_counted_estimates(assessor):
    """Only figures whose source and horizon were verified count (refs-1.2); none left: no rate."""
    cervical = {"region": "cervical", "approach": "anterior"}
    assert _rate(assessor, P, **cervical, levels_fused=1) == ("acdf_1", 3, 10)
    assert _rate(assessor, P, **cervical, levels_fused=2) == ("acdf_2", 5, 10)
    assert _rate(assessor, P, **cervical, levels_fused=3) == ("acdf_3_plus", 18, 18)
    assert _rate(assessor, H, **cervical, levels_fused=1) is None  # subsidence: no horizon stated
    assert _rate(assessor, P, **LUMBAR) is None  # formica-2020 states no horizon; lenz-2022 not found
    assert _rate(assessor, P, **LONG, three_column_osteotomy=False) == ("long_to_pelvis", 24, 24)
    # smith-2014 alone: noh-2021's follow-up is stated only in a commentary (refs-1.2-horizons)
    assert _rate(assessor, H, **LONG, three_column_osteotomy=False) == ("long_to_pelvis", 9, 9)
    assert _rate(assessor, P, **LONG, three_column_osteotomy=True) == ("long_to_pelvis_3co", 24, 24)
    for rods in (None, "two", "three_or_more"):
        osteotomy = {**LONG, "three_column_osteotomy": True, "rods_across_osteotomy": rods}
        assert _rate(assessor, H, **osteotomy) is None


@pytest.mark.parametrize(
    ("bone", "expected"),
    [
        ({"osteoporosis": False}, 13),
        ({"osteoporosis": False, "t_score": -1.5}, 13),  # osteopenia grade: not osteoporosis-grade
        ({"osteoporosis": True}, 32),
        ({"osteoporosis": False, "hounsfield_units": 95}, 32),
        ({"osteoporosis": None}, 32),  # unknown bone: the osteoporosis-grade rate (conservative)
    ],
)
def test_the_lumbar_hardware_rate_follows_the_bone_at_its_worst(assessor, bone, expected):
    assert _rate(assessor, H, **LUMBAR, **bone) == ("lumbar_1_2", expected, expected)


def test_the_assessment_names_the_kind_of_operation_even_without_a_rate(assessor):
    result = assessor(make_patient(**LUMBAR))
    assert result["operation_class"] == {
        "id": "lumbar_1_2",
        "label": "posterior or combined lumbar fusion, 1–2 levels, no osteotomy",
    }
    assert result["outcomes"][P]["typical_rate"] is None
    assert assessor(make_patient())["operation_class"] is None


def test_a_shown_rate_names_its_class_definition_horizon_and_references(assessor):
    result = assessor(make_patient(region="cervical", approach="anterior", levels_fused=1))
    block = result["outcomes"][P]["typical_rate"]
    typical = assessor.model.document["typical_rates"]
    assert block == {
        "class": {"id": "acdf_1", "label": "anterior cervical discectomy and fusion, 1 level"},
        "low": 3,
        "high": 10,
        "per": 100,
        "definition": block["definition"],
        "horizon": "at 12 months or later",
        "references": ["fraser-2007", "shriver-2015", "noordhoek-2019"],
        "label": typical["label"],
    }
    assert block["definition"] and "not this patient's probability" in block["label"]
    assert set(block["references"]) <= {r["id"] for r in result["references"]}


def test_no_rate_is_a_percentage_for_the_patient(assessor):
    """The block carries no percentage or probability field, whatever the class."""
    for block in assessor.model.typical.blocks.values():
        if block:
            assert set(block) == {
                "class",
                "low",
                "high",
                "per",
                "definition",
                "horizon",
                "references",
                "label",
            }


@pytest.mark.parametrize(("value", "expected"), [(2.9, 3), (9.9, 10), (17.5, 18), (22.5, 22), (12.7, 13)])
def test_estimates_round_to_whole_numbers_halves_to_even(value, expected):
    assert whole(value) == expected


def test_a_range_in_words():
    assert (range_text(3, 10), range_text(18, 18)) == ("3–10", "18")


def test_conditions_match_and_overlap():
    lumbar = compile_when({"region": ["lumbar"], "levels_fused": {"min": 1, "max": 2}})
    long = compile_when({"region": ["lumbar", "thoracolumbar"], "levels_fused": {"min": 5}})
    assert matches(lumbar, {"region": "lumbar", "levels_fused": 2})
    assert not matches(lumbar, {"region": "lumbar", "levels_fused": None})
    assert not matches(lumbar, {"region": "lumbar"})
    assert matches(compile_when({"prior_spine_surgery": [False, None]}), {})
    assert not overlap(lumbar, long)  # the level ranges do not meet
    assert overlap(lumbar, compile_when({"approach": ["posterior"]}))  # an input only one names is free
