"""Score one scenario of a patient: classify every factor and add up points per outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .rules import HIGHEST, LOWEST, Scored
from .table import Evidence, Level, Model

__all__ = ["HIGHEST", "LOWEST", "Score", "Scored", "evidence_for", "link", "rescore", "score"]


class Score(NamedTuple):
    scored: Mapping[str, Scored]  # factor id -> its place, in table order (refinements given only)
    base: Mapping[str, int]  # outcome -> total of the factors' points
    points: Mapping[str, int]  # outcome -> total, linkage included
    tiers: Mapping[str, str]  # outcome -> tier
    linked: bool  # the linkage point was added


def score(model: Model, patient: Mapping[str, Any], bound: str = LOWEST) -> Score:
    """Score a patient, with unknown core inputs at `bound`."""
    scored: dict[str, Scored] = {}
    for factor in model.factors:
        if factor.core or patient.get(factor.input) is not None:  # else: a refinement not provided
            scored[factor.id] = factor.rule(factor, patient, bound, scored)
    return _total(model, scored)


def rescore(
    model: Model, patient: Mapping[str, Any], scenario: Score, moves: Mapping[str, Level], bound: str = LOWEST
) -> Score:
    """Score a scenario (scored at `bound`) again with some factors moved to other levels: the
    factors that read a moved one are classified again, the rest keep their place."""
    scored = dict(scenario.scored)
    for factor_id, level in moves.items():
        scored[factor_id] = scored[factor_id]._replace(level=level)
    for factor_id in moves:
        for reader in model.dependents[factor_id]:
            if reader.id in scored and reader.id not in moves:
                scored[reader.id] = reader.rule(reader, patient, bound, scored)
    return _total(model, scored)


def _total(model: Model, scored: dict[str, Scored]) -> Score:
    # Each level holds one points entry per outcome (load.py builds them so): no `strict` needed,
    # and zip's check costs a third of this line.
    base = dict(zip(model.outcomes, map(sum, zip(*[s.level.points for s in scored.values()]))))  # noqa: B905
    points, tiers, linked = link(model, base)
    return Score(scored, base, points, tiers, linked)


def link(model: Model, base: Mapping[str, int]) -> tuple[dict[str, int], dict[str, str], bool]:
    """Add the linkage point to the factors' totals; return (points, tiers, linked)."""
    rule = model.linkage
    points = dict(base)
    linked = model.tier(points[rule.source]) == rule.when_tier
    if linked:
        points[rule.target] += rule.points
    return points, {outcome: model.tier(total) for outcome, total in points.items()}, linked


def deciding(scored: Scored, outcome: str) -> list[tuple[Any, Any]]:
    """Return the bone markers (marker, value) that set this outcome's level."""
    level = scored.level.effects[outcome].level
    return [(m, v) for m, v, grade in scored.markers if grade == level and outcome in m.outcomes]


def evidence_for(scored: Scored, outcome: str) -> tuple[Evidence, ...]:
    """Return the evidence behind a factor's points: its deciding markers' own, else its level's."""
    level_evidence = scored.level.effects[outcome].evidence
    markers = deciding(scored, outcome)
    if not markers:
        return level_evidence
    rows: list[Evidence] = []
    for marker, _ in markers:
        rows.extend(e for e in marker.evidence.get(outcome) or level_evidence if e not in rows)
    return tuple(rows)
