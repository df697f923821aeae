"""Model 1.2's worked examples (section 11), scoring parts: the inputs, and per outcome the points,
tiers, points range, typical rate and what-ifs they must give. The symptom parts are tested with the
symptom review. Typical rates follow the verified estimates only (a block whose figures or horizon
could not be verified is null), so examples 1–3 and 6 show fewer rates than the spec's first draft."""

from __future__ import annotations

from typing import Any, NamedTuple


class Outcome(NamedTuple):
    points: tuple[int, int]  # points_range: known, worst
    tiers: tuple[str, str]  # risk_range: lowest, highest
    rate: tuple[str, int, int] | None  # typical rate: class, low, high
    what_if: list[tuple[str, str, int]]  # (id, risk, points)


class Example(NamedTuple):
    patient: dict[str, Any]
    pseudarthrosis: Outcome
    hardware_failure: Outcome
    warnings: list[str]
    advice: list[str]


EXAMPLES = {
    "1-smoker-diabetic-2-levels-after-surgery": Example(
        {
            "age": 55,
            "smoking": "current",
            "osteoporosis": False,
            "diabetes": True,
            "levels_fused": 2,
            "obesity": True,
            "bmi": 33,
            "hba1c": 8.4,
            "region": "lumbar",
            "approach": "posterior",
            "fusion_to_sacrum_or_pelvis": True,
            "sex": "male",
            "days_since_surgery": 14,
        },
        # smoking 2 + age 1 + diabetes 2 + levels 1 + obesity 1 + HbA1c 1 = 8; lumbar_1_2 non-union:
        # no estimate with a verified horizon; after surgery only stopping smoking is offered
        Outcome((8, 8), ("high", "high"), None, [("stop_smoking", "high", 7)]),
        # sacrum 1 + link 1 = 2 (sex scores nothing); bone not osteoporosis-grade: cho-2018 12.7
        Outcome((2, 2), ("moderate", "moderate"), ("lumbar_1_2", 13, 13), []),
        [],
        ["glucose_control_for_wound"],
    ),
    "2-long-fusion-osteotomy-two-rods": Example(
        {
            "age": 68,
            "smoking": "never",
            "osteoporosis": False,
            "diabetes": False,
            "levels_fused": 8,
            "obesity": False,
            "bmi": 27,
            "t_score": -2.8,
            "region": "thoracolumbar",
            "approach": "posterior",
            "fusion_to_sacrum_or_pelvis": True,
            "three_column_osteotomy": True,
            "rods_across_osteotomy": "two",
            "prior_spine_surgery": True,
            "sex": "female",
            "days_since_surgery": 20,
        },
        # bone 1 + age 2 + levels 2 + prior 1 + osteotomy 1 = 7; kim-2006 24 at 2 years or later
        Outcome((7, 7), ("high", "high"), ("long_to_pelvis_3co", 24, 24), []),
        # bone 3 + levels 2 + age 1 + sacrum 1 + prior 1 + osteotomy 2 (two rods) + link 1 = 11; the
        # two-rod estimates state no horizon
        Outcome((11, 11), ("high", "high"), None, []),
        ["t_score_contradicts_osteoporosis"],
        ["bone_treatment"],
    ),
    "3-bone-unknown-woman-66": Example(
        {
            "age": 66,
            "smoking": "never",
            "osteoporosis": None,
            "diabetes": False,
            "levels_fused": 1,
            "obesity": False,
            "region": "lumbar",
            "approach": "posterior",
            "sex": "female",
        },
        # age 2, bone unknown 0–1: moderate either way
        Outcome((2, 3), ("moderate", "moderate"), None, []),
        # age 1, bone unknown 0–3: low to moderate; the osteoporosis-grade rate (cho-2018 32.3)
        Outcome((1, 4), ("low", "moderate"), ("lumbar_1_2", 32, 32), []),
        [],
        ["measure_bone_density"],
    ),
    "5-obese-4-levels-before-surgery": Example(
        {
            "age": 45,
            "smoking": "never",
            "osteoporosis": False,
            "diabetes": False,
            "levels_fused": 4,
            "obesity": True,
            "bmi": 31,
            "region": "lumbar",
            "approach": "posterior",
            "fusion_to_sacrum_or_pelvis": True,
            "sex": "male",
        },
        # obesity 1 + levels 1 = 2; 4 lumbar levels name no class
        Outcome((2, 2), ("moderate", "moderate"), None, [("reach_bmi_under_30", "low", 1)]),
        # levels 1 + sacrum 1 = 2 (obesity: a short construct)
        Outcome((2, 2), ("moderate", "moderate"), None, []),
        [],
        [],
    ),
    "6-acdf-smoker-diabetic": Example(
        {
            "age": 66,
            "smoking": "current",
            "osteoporosis": False,
            "diabetes": True,
            "levels_fused": 1,
            "obesity": False,
            "hba1c": 9.1,
            "region": "cervical",
            "approach": "anterior",
            "sex": "male",
            "days_since_surgery": 10,
        },
        # smoking 2; cervical: age, diabetes and so HbA1c 0
        Outcome((2, 2), ("moderate", "moderate"), ("acdf_1", 3, 10), [("stop_smoking", "low", 1)]),
        # the hardware age point stays; subsidence states no horizon
        Outcome((1, 1), ("low", "low"), None, []),
        [],
        ["glucose_control_for_wound"],
    ),
}


def check(result: dict[str, Any], example: Example) -> None:
    """Assert an assessment (JSON, from the core or the API) gives the example's scoring parts."""
    for outcome in ("pseudarthrosis", "hardware_failure"):
        expected, block = getattr(example, outcome), result["outcomes"][outcome]
        assert (block["points_range"]["lowest"], block["points_range"]["highest"]) == expected.points, outcome
        assert block["points"] == expected.points[0]
        assert (block["risk_range"]["lowest"], block["risk_range"]["highest"]) == expected.tiers, outcome
        assert block["risk"] == expected.tiers[1]  # the headline tops the range
        assert block["determinate"] == (expected.tiers[0] == expected.tiers[1])
        rate = block["typical_rate"]
        assert (rate and (rate["class"]["id"], rate["low"], rate["high"])) == expected.rate, outcome
        assert [(w["id"], w["risk"], w["points"]) for w in block["what_if"]] == expected.what_if, outcome
    assert [w["code"] for w in result["warnings"]] == example.warnings
    assert [a["id"] for a in result["advice"]] == example.advice
