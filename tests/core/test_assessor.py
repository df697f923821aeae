"""What an assessment explains: factors, evidence, references, summaries and what-if."""

from __future__ import annotations

import itertools

import orjson
import pytest

from tests.helpers import make_patient
from tests.helpers.worked import EXAMPLES, check

OUTCOMES = ("pseudarthrosis", "hardware_failure")

# Every combination of the core factors, at values either side of each threshold.
GRID = [
    make_patient(age=a, smoking=s, osteoporosis=o, diabetes=d, levels_fused=n, obesity=b)
    for a, s, o, d, n, b in itertools.product(
        (40, 60, 70),
        ("never", "former", "current"),
        (False, True),
        (False, True),
        (1, 2, 3, 5),
        (False, True),
    )
]


def _cited(result):
    for block in result["outcomes"].values():
        for entry in block["contributing_factors"] + block["other_factors_considered"]:
            for evidence in entry.get("evidence", ()):
                yield evidence["reference"]


@pytest.mark.parametrize("patient", GRID[::7])
def test_points_are_the_sum_of_contributions_most_first(assessor, patient):
    result = assessor(patient)
    for outcome in OUTCOMES:
        block = result["outcomes"][outcome]
        points = [entry["points"] for entry in block["contributing_factors"]]
        assert sum(points) == block["points"]
        assert points == sorted(points, reverse=True)
        assert all(p > 0 for p in points)
        assert all(entry["points"] == 0 for entry in block["other_factors_considered"])


def test_every_grid_patient_is_explained(assessor, model):
    """Across the grid: evidence, advice, references and summaries follow the rules."""
    reference_ids = list(model.references)
    for patient in GRID:
        result = assessor(patient)
        cited = set(_cited(result))
        assert [r["id"] for r in result["references"]] == [r for r in reference_ids if r in cited]
        for block in result["outcomes"].values():
            assert len(block["summary"]) < model.summary["max_length"]
            assert block["risk_range"] == {"lowest": block["risk"], "highest": block["risk"]}
            for entry in block["contributing_factors"]:
                assert entry["explanation"] and entry["evidence"]
                assert ("advice" in entry) == entry["modifiable"]
                assert all(e["certainty"] in "ABCD" for e in entry["evidence"])


def test_summary_names_the_main_drivers(assessor):
    result = assessor(make_patient(age=58, smoking="current"))
    assert result["outcomes"]["pseudarthrosis"]["summary"] == (
        "Moderate risk of non-union, driven mainly by smoking and age."
    )
    assert result["outcomes"]["hardware_failure"]["summary"] == (
        "Low risk of hardware failure: none of the factors checked adds points."
    )


def test_modifiable_flags(assessor):
    result = assessor(
        make_patient(
            age=70, smoking="current", osteoporosis=True, diabetes=True, levels_fused=4, obesity=True
        )
    )
    flags = {
        e["factor"]: e["modifiable"] for e in result["outcomes"]["pseudarthrosis"]["contributing_factors"]
    }
    assert flags == {
        "smoking": True,
        "osteoporosis": True,
        "diabetes": True,
        "levels_fused": False,
        "age": False,
        "obesity": True,
    }


def test_what_if_stop_smoking_and_lose_weight(assessor):
    result = assessor(make_patient(age=62, smoking="current", diabetes=True, levels_fused=2, obesity=True))
    pseudarthrosis = result["outcomes"]["pseudarthrosis"]["what_if"]
    hardware = result["outcomes"]["hardware_failure"]["what_if"]
    assert [(w["id"], w["risk"], w["points"]) for w in pseudarthrosis] == [
        ("stop_smoking", "high", 6),  # a recent quitter keeps a point
        ("reach_bmi_under_30", "high", 6),
        ("all_changes", "high", 5),
    ]
    assert pseudarthrosis[-1]["change"].startswith("make all of these changes: stop smoking now")
    assert hardware == []  # non-union stays high, the link stays: no change alters hardware failure


def test_what_if_offers_nothing_without_a_modifiable_factor_present(assessor):
    result = assessor(make_patient(age=80, levels_fused=8, smoking="former"))
    assert all(not block["what_if"] for block in result["outcomes"].values())


def test_what_if_stopping_smoking_can_drop_the_linkage(assessor):
    result = assessor(make_patient(age=65, smoking="current", osteoporosis=True))  # 5: high, link on
    hardware = result["outcomes"]["hardware_failure"]
    assert hardware["points"] == 3 + 1 + 1
    assert [(w["id"], w["risk"], w["points"]) for w in hardware["what_if"]] == [
        ("stop_smoking", "moderate", 4)
    ]


def test_output_is_deterministic(assessor):
    patient = make_patient(
        age=70, smoking="current", osteoporosis=True, diabetes=True, levels_fused=6, obesity=True
    )
    assert orjson.dumps(assessor(patient)) == orjson.dumps(assessor(dict(reversed(patient.items()))))


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_1_2_worked_examples(assessor, name):
    """Model 1.2, section 11 (scoring parts): points, tiers, ranges, typical rates, warnings, advice and
    what-ifs by phase."""
    check(assessor(EXAMPLES[name].patient), EXAMPLES[name])


def test_example_3_says_the_range_when_it_spans_tiers(assessor):
    hardware = assessor(EXAMPLES["3-bone-unknown-woman-66"].patient)["outcomes"]["hardware_failure"]
    assert hardware["summary"] == (
        "Low to moderate risk of hardware failure (osteoporosis diagnosis unknown); counted: age."
    )


def test_example_1_states_the_points_change_after_surgery(assessor):
    (item,) = assessor(EXAMPLES["1-smoker-diabetic-2-levels-after-surgery"].patient)["outcomes"][
        "pseudarthrosis"
    ]["what_if"]
    assert (item["points_change"], item["phases"]) == (
        "high, 8 → 7 points",
        ["pre_operative", "post_operative"],
    )
