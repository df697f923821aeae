"""Score one scenario of a patient: classify every factor and add up points per outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .classify import HIGHEST, LOWEST, RULES, Scored
from .model import Evidence, Model

__all__ = ["HIGHEST", "LOWEST", "Score", "Scored", "evidence_for", "link", "score"]


class Score(NamedTuple):
    scored: tuple[Scored, ...]  # the factors scored, in table order
    base: Mapping[str, int]  # outcome -> total of the factors' points
    points: Mapping[str, int]  # outcome -> total, linkage included
    tiers: Mapping[str, str]  # outcome -> tier
    linked: bool  # the linkage point was added


def score(model: Model, patient: Mapping[str, Any], bound: str = LOWEST) -> Score:
    """Score a patient, with unknown core inputs at `bound`."""
    scored = []
    for factor in model.factors:
        if factor.core or patient.get(factor.input) is not None:  # else: a refinement not provided
            scored.append(RULES[factor.kind](factor, patient, bound))
    # Each level holds one points entry per outcome (model.py builds them so): no `strict` needed,
    # and zip's check costs a third of this line.
    base = dict(zip(model.outcomes, map(sum, zip(*[s.level.points for s in scored]))))  # noqa: B905
    points, tiers, linked = link(model, base)
    return Score(tuple(scored), base, points, tiers, linked)


def link(model: Model, base: Mapping[str, int]) -> tuple[dict[str, int], dict[str, str], bool]:
    """Add the linkage point to the factors' totals; return (points, tiers, linked)."""
    rule = model.linkage
    points = dict(base)
    linked = model.tier(points[rule.source]) == rule.when_tier
    if linked:
        points[rule.target] += rule.points
    return points, {outcome: model.tier(total) for outcome, total in points.items()}, linked


def evidence_for(scored: Scored, outcome: str) -> tuple[Evidence, ...]:
    """Return the evidence behind a factor's points: its deciding markers' own, else its level's."""
    level_evidence = scored.level.effects[outcome].evidence
    if not scored.markers:
        return level_evidence
    rows: list[Evidence] = []
    for marker in scored.markers:
        rows.extend(e for e in marker.evidence.get(outcome) or level_evidence if e not in rows)
    return tuple(rows)
