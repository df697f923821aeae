"""The one call into the scoring core: per outcome the points, their range under unknowns and the tiers,
and the kind of operation (typical-rate class), without the texts the population output does not carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from service.core import Assessor


class OutcomeScore(NamedTuple):
    """One outcome of one patient, as the population output carries it (the API's names in comments)."""

    points: int  # `points`: the known points (unknowns at their lowest)
    points_min: int  # `points_range.lowest`
    points_max: int  # `points_range.highest`: unknowns at their worst, the non-union link included
    tier: str  # `risk`: the highest tier of the range
    tier_min: str  # `risk_range.lowest`
    tier_max: str  # `risk_range.highest`
    determinate: bool  # `determinate`: both ends of the range in one tier


def outcome_scores(
    assessor: Assessor, patient: Mapping[str, Any]
) -> tuple[dict[str, OutcomeScore], str | None]:
    """Score a loaded patient with the assessor's fast path (the figures of `POST /v1/assessments`,
    no text built); return the outcomes and the typical-rate class id (`operation_class.id`), if any."""
    found = assessor.score(patient)
    outcomes = {
        outcome: OutcomeScore(*(figures[name] for name in OutcomeScore._fields))
        for outcome, figures in found.items()
    }
    return outcomes, next(iter(found.values()))["typical_rate_class"]
