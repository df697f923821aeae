"""Lookups derived at load: the tier of each total, and which factors read which."""

from __future__ import annotations

from types import SimpleNamespace

from service.core.derived import dependents, tier_table


def test_the_tier_table_runs_to_the_highest_tiers_lowest_points():
    assert tier_table((("low", 0), ("moderate", 2), ("high", 5))) == (
        "low",
        "low",
        "moderate",
        "moderate",
        "moderate",
        "high",
    )


def test_a_tier_table_of_one_tier_is_that_tier():
    assert tier_table((("low", 0),)) == ("low",)


def _factor(factor_id, reads=()):
    return SimpleNamespace(id=factor_id, reads=tuple(reads))


def test_dependents_are_found_through_chains_in_table_order():
    factors = (_factor("a"), _factor("c", ["b"]), _factor("b", ["a"]), _factor("d"))
    found = {key: [f.id for f in value] for key, value in dependents(factors).items()}
    assert found == {"a": ["c", "b"], "c": [], "b": ["c"], "d": []}


def test_the_committed_table_has_its_known_readers(model):
    found = {key: [f.id for f in value] for key, value in model.dependents.items() if value}
    assert found == {"smoking": ["other_nicotine"], "diabetes": ["hba1c"], "levels_fused": ["obesity"]}
