"""The load-time checks: a table breaking an integrity rule refuses to load."""

from __future__ import annotations

import copy

import pytest

from service.core import ModelError
from service.core.load import build_model
from tests.core.conftest import refuses, table_factor


def _break_reference(t):
    table_factor(t, "smoking")["levels"][0]["pseudarthrosis"]["evidence"][0]["reference"] = "nobody-2099"


def _break_certainty(t):
    table_factor(t, "smoking")["levels"][0]["pseudarthrosis"]["evidence"][0]["certainty"] = "E"


def _drop_explanation(t):
    del table_factor(t, "diabetes")["levels"][0]["pseudarthrosis"]["explanation"]


def _negative_points(t):
    table_factor(t, "age")["levels"][1]["pseudarthrosis"]["points"] = -1


def _unsorted_bands(t):
    table_factor(t, "age")["levels"][1]["min"] = 70


def _unknown_level(t):
    table_factor(t, "smoking")["unknown"]["highest"] = "chain"


def _uncited_reference(t):
    t["references"].append({"id": "orphan-2020", "citation": "Nobody. 2020."})


def _tiers_not_from_zero(t):
    t["tiers"][0]["min_points"] = 1


def _tier_meaning_states_points(t):
    t["tiers"][1]["meaning"] = "2–4 points: " + t["tiers"][1]["meaning"]  # said twice, then stale


def _tier_meaning_empty(t):
    t["tiers"][2]["meaning"] = ""


def _advice_missing(t):
    del table_factor(t, "obesity")["advice"]


def _what_if_on_fixed_factor(t):
    t["what_if"][0]["factor"] = "age"


def _missing_key(t):
    del t["linkage"]


def _advice(t, advice_id):
    return next(item for item in t["advice"] if item["id"] == advice_id)


# Model 1.2 (section 10): each rule, broken in a copy, with the refusal it must name.
REFUSALS_1_2 = {
    "an outcome without its horizon": (lambda t: t["outcomes"][0].pop("horizon"), "must state its horizon"),
    "a what-if without phases": (lambda t: t["what_if"][0].update(phases=[]), "what-if stop_smoking: phases"),
    "a what-if in an unknown phase": (
        lambda t: t["what_if"][2].update(phases=["intra_operative"]),
        "what-if stop_all_nicotine: phases",
    ),
    "a what-if naming a phase twice": (
        lambda t: t["what_if"][3].update(phases=["pre_operative", "pre_operative"]),
        "what-if reach_bmi_under_30: phases",
    ),
    "a points change without its before": (
        lambda t: t.update(what_if_points_change="{risk}, now {after} points"),
        "must name {risk}, {before} and {after}",
    ),
    "advice in an unknown phase": (
        lambda t: _advice(t, "bone_treatment").update(phases=["someday"]),
        "advice bone_treatment: it needs a text and valid phases",
    ),
    "advice on a level its factor lacks": (
        lambda t: _advice(t, "glucose_control_for_wound").update(levels=["type_3"]),
        "advice glucose_control_for_wound: it needs a factor and levels",
    ),
    "bone-density advice without an age for a sex": (
        lambda t: _advice(t, "measure_bone_density")["from_age"].pop("male"),
        "from_age needs an adult age",
    ),
    "bone-density advice from a child's age": (
        lambda t: _advice(t, "measure_bone_density")["from_age"].update(female=12),
        "from_age needs an adult age",
    ),
    "bone-density advice with an input that is not yes/no": (
        lambda t: _advice(t, "measure_bone_density").update(**{"with": "age"}),
        "`with` must name a yes/no input",
    ),
}


@pytest.mark.parametrize("case", REFUSALS_1_2, ids=list(REFUSALS_1_2))
def test_a_table_breaking_a_1_2_rule_is_refused_by_name(table, case):
    breakage, message = REFUSALS_1_2[case]
    refuses(table, breakage, message.replace("{", r"\{").replace("}", r"\}"))


@pytest.mark.parametrize(
    "breakage",
    [
        _break_reference,
        _break_certainty,
        _drop_explanation,
        _negative_points,
        _unsorted_bands,
        _unknown_level,
        _uncited_reference,
        _tiers_not_from_zero,
        _tier_meaning_states_points,
        _tier_meaning_empty,
        _advice_missing,
        _what_if_on_fixed_factor,
        _missing_key,
    ],
)
def test_an_inconsistent_table_is_refused(table, breakage):
    build_model(copy.deepcopy(table))  # the table as committed passes
    broken = copy.deepcopy(table)
    breakage(broken)
    with pytest.raises(ModelError):
        build_model(broken)
