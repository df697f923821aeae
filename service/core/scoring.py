"""Score one scenario of a patient: classify every factor and add up points per outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .classify import HIGHEST, LOWEST, Scored, classify
from .model import Evidence, Model

__all__ = ["HIGHEST", "LOWEST", "Score", "Scored", "evidence_for", "score"]


@dataclass(frozen=True, slots=True)
class Score:
    scored: tuple[Scored, ...]  # the factors scored, in table order
    points: Mapping[str, int]  # outcome -> total, linkage included
    tiers: Mapping[str, str]  # outcome -> tier
    linked: bool  # the linkage point was added


def score(
    model: Model,
    patient: Mapping[str, Any],
    bound: str = LOWEST,
    overrides: Mapping[str, str] | None = None,
) -> Score:
    """Score a patient, with unknowns at `bound` and factors forced to `overrides` levels."""
    scored = []
    points = dict.fromkeys(model.outcomes, 0)
    for factor in model.factors:
        if not factor.core and patient.get(factor.input) is None:
            continue  # an optional refinement that was not provided
        if overrides and factor.id in overrides:
            entry = Scored(factor, factor.levels[overrides[factor.id]], patient.get(factor.input), False)
        else:
            entry = classify(factor, patient, bound)
        for outcome, effect in entry.level.effects.items():
            points[outcome] += effect.points
        scored.append(entry)
    link = model.linkage
    linked = model.tier(points[link.source]) == link.when_tier
    if linked:
        points[link.target] += link.points
    tiers = {outcome: model.tier(total) for outcome, total in points.items()}
    return Score(tuple(scored), points, tiers, linked)


def evidence_for(scored: Scored, outcome: str) -> tuple[Evidence, ...]:
    """Return the evidence behind a factor's points: its deciding markers' own, else its level's."""
    level_evidence = scored.level.effects[outcome].evidence
    if not scored.markers:
        return level_evidence
    rows: list[Evidence] = []
    for marker in scored.markers:
        rows.extend(e for e in marker.evidence.get(outcome) or level_evidence if e not in rows)
    return tuple(rows)
