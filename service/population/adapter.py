"""The one call into the scoring core: per outcome the points, their range under unknowns and the tiers,
without the explanation texts the population output does not carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from service.core import Model
from service.core.scoring import HIGHEST, LOWEST, score


class OutcomeScore(NamedTuple):
    """One outcome of one patient, as the population output carries it."""

    points: int  # the API's `points`: the known points (unknowns at their lowest)
    points_min: int
    points_max: int  # unknowns at their highest, the non-union link included
    tier: str  # the API's `risk`
    tier_min: str  # the API's `risk_range.lowest`
    tier_max: str  # the API's `risk_range.highest`
    determinate: bool  # both ends of the range in one tier


def outcome_scores(model: Model, patient: Mapping[str, Any]) -> dict[str, OutcomeScore]:
    """Score a loaded patient as `POST /v1/assessments` does (the assessor's two scenarios), per outcome.

    TODO(model 1.2): switch to the core's fast function (points, points_min, points_max, tiers,
    determinate and the typical-rate class id), where `tier` becomes the highest tier of the range
    and the typical-rate class gets its column. Until then this mirrors `Assessor.__call__`."""
    known = score(model, patient, LOWEST)
    uncertain = any(scored.uncertain for scored in known.scored.values())
    worst = score(model, patient, HIGHEST) if uncertain else known
    return {
        outcome: OutcomeScore(
            points=known.points[outcome],
            points_min=known.points[outcome],
            points_max=worst.points[outcome],
            tier=known.tiers[outcome],
            tier_min=known.tiers[outcome],
            tier_max=worst.tiers[outcome],
            determinate=known.tiers[outcome] == worst.tiers[outcome],
        )
        for outcome in model.outcomes
    }
