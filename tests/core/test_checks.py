"""The load-time checks: a table breaking an integrity rule refuses to load."""

from __future__ import annotations

import copy

import pytest

from service.core import ModelError
from service.core.load import build_model
from tests.core.conftest import table_factor


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
