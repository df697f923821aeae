"""Score one scenario of a patient: classify every factor into a level and add up points."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import Evidence, Factor, Level, Model

LOWEST = "lowest"  # unknown core inputs take their lowest level (known factors only)
HIGHEST = "highest"  # unknown core inputs take their worst level


@dataclass(frozen=True, slots=True)
class Scored:
    """One factor's place in a scenario."""

    factor: Factor
    level: Level
    value: Any  # the factor's input as sent; None when unknown
    markers: tuple[str, ...]  # bone markers reaching the level (empty for other kinds)


@dataclass(frozen=True, slots=True)
class Score:
    scored: tuple[Scored, ...]
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
        value = patient.get(factor.input)
        if overrides and factor.id in overrides:
            level, markers = factor.levels[overrides[factor.id]], ()
        else:
            level, markers = classify(factor, patient, bound)
        for outcome, effect in level.effects.items():
            points[outcome] += effect.points
        scored.append(Scored(factor, level, value, markers))
    link = model.linkage
    linked = model.tier(points[link.source]) == link.when_tier
    if linked:
        points[link.target] += link.points
    tiers = {outcome: model.tier(total) for outcome, total in points.items()}
    return Score(tuple(scored), points, tiers, linked)


def classify(factor: Factor, patient: Mapping[str, Any], bound: str) -> tuple[Level, tuple[str, ...]]:
    """Return the level a patient reaches on one factor, and the bone markers behind it."""
    if factor.kind == "bone":
        return _bone_level(factor, patient, bound)
    value = patient.get(factor.input)
    if value is None:
        return factor.levels[factor.unknown[bound]], ()
    if factor.kind == "flag":
        return factor.levels["present" if value else "absent"], ()
    if factor.kind == "bands":
        reached = next(lv for lv in reversed(factor.levels.values()) if value >= lv.min)
        return reached, ()
    return factor.levels[value], ()


def _bone_level(factor: Factor, patient: Mapping[str, Any], bound: str) -> tuple[Level, tuple[str, ...]]:
    """Take the worst grade among the bone markers (levels are listed worst first)."""
    grades: dict[str, list[str]] = {}
    for marker in factor.markers:
        value = patient.get(marker.input)
        if value is None and marker.input == factor.input:
            grade = factor.unknown[bound]
        elif value is True:
            grade = marker.grade
        else:
            continue
        grades.setdefault(grade, []).append(marker.id)
    for level in factor.levels.values():
        if level.id in grades:
            return level, tuple(grades[level.id])
    return factor.levels[factor.unknown[LOWEST]], ()


def marker_evidence(scored: Scored, outcome: str) -> tuple[Evidence, ...]:
    """Return the evidence for a scored factor on one outcome (bone: its deciding markers)."""
    if scored.factor.kind != "bone":
        return scored.level.effects[outcome].evidence
    rows: list[Evidence] = []
    for marker in scored.factor.markers:
        if marker.id in scored.markers:
            rows.extend(e for e in marker.evidence[outcome] if e not in rows)
    return tuple(rows)
