"""The frozen model: its identity, lookups and the tier of a total."""

from __future__ import annotations

import dataclasses

import pytest


def test_model_identity(model):
    assert (model.id, model.version) == ("spinal-fusion-complications", "1.2.0")
    assert model.tiers == (("low", 0), ("moderate", 2), ("high", 5))


def test_the_model_is_immutable(model):
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.version = "9.9.9"
    with pytest.raises(TypeError):
        model.warnings["new"] = "text"


def test_a_factor_is_found_by_id(model):
    assert model.factor("smoking").input == "smoking"
    with pytest.raises(StopIteration):
        model.factor("no_such_factor")


@pytest.mark.parametrize(
    "points, tier", [(0, "low"), (1, "low"), (2, "moderate"), (4, "moderate"), (5, "high"), (40, "high")]
)
def test_the_tier_of_a_total(model, points, tier):
    assert model.tier(points) == tier


def test_all_evidence_walks_every_row_once_with_its_outcome(model):
    rows = list(model.all_evidence())
    assert {outcome for outcome, _ in rows} == set(model.outcomes)
    linkage = [row for _, row in rows if row in model.linkage.evidence]
    assert linkage == list(model.linkage.evidence)
    smoking = model.factor("smoking").levels["current"].effects["pseudarthrosis"].evidence
    assert all(("pseudarthrosis", row) in rows for row in smoking)
