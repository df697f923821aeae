"""Consistency rules for the model table, checked once when it is loaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Factor, Model

KINDS = frozenset({"choice", "flag", "bands", "bone"})


class ModelError(ValueError):
    """The model table is inconsistent; the service must not start with it."""


def check_model(model: Model) -> None:
    """Raise ModelError listing every inconsistency in the model table."""
    problems = [*_tier_problems(model), *_factor_problems(model), *_reference_problems(model)]
    problems += _linkage_and_what_if_problems(model)
    if problems:
        raise ModelError("; ".join(problems))


def _tier_problems(model: Model) -> Iterable[str]:
    lows = [lowest for _, lowest in model.tiers]
    if not lows or lows[0] != 0 or lows != sorted(set(lows)):
        yield "tiers must start at 0 points and ascend strictly"


def _factor_problems(model: Model) -> Iterable[str]:
    ids = [f.id for f in model.factors]
    if len(ids) != len(set(ids)) or model.linkage.id in ids:
        yield "factor ids must be unique"
    for factor in model.factors:
        yield from (f"factor {factor.id}: {p}" for p in _one_factor_problems(factor))


def _one_factor_problems(factor: Factor) -> Iterable[str]:
    if factor.kind not in KINDS:
        yield f"unknown kind {factor.kind!r}"
    if factor.modifiable and not factor.advice:
        yield "a modifiable factor needs advice"
    if set(factor.unknown) != {"lowest", "highest"} or not set(factor.unknown.values()) <= set(factor.levels):
        yield "unknown must name a lowest and a highest level"
    if factor.kind == "flag" and set(factor.levels) != {"present", "absent"}:
        yield "a flag has exactly the levels present and absent"
    if factor.kind == "bands":
        mins = [level.min for level in factor.levels.values()]
        if None in mins or mins != sorted(set(mins)):
            yield "bands need a strictly ascending min on every level"
    graded = {m.grade for m in factor.markers}
    if not graded <= set(factor.levels):
        yield "every marker must grade to a level"
    for level in factor.levels.values():
        for outcome, effect in level.effects.items():
            where = f"level {level.id}, {outcome}"
            if not isinstance(effect.points, int) or isinstance(effect.points, bool) or effect.points < 0:
                yield f"{where}: points must be a non-negative integer"
            elif effect.points and not effect.explanation:
                yield f"{where}: scored points need an explanation"
            elif effect.points and not effect.evidence and factor.kind != "bone":
                yield f"{where}: scored points need evidence"
            elif (
                effect.points
                and factor.kind == "bone"
                and not any(m.evidence[outcome] for m in factor.markers if m.grade == level.id)
            ):
                yield f"{where}: every marker reaching this grade needs evidence"


def _reference_problems(model: Model) -> Iterable[str]:
    grades = set(model.document["method"]["certainty_grades"])
    cited = set()
    for evidence in model.all_evidence():
        cited.add(evidence.reference)
        if evidence.reference not in model.references:
            yield f"evidence cites unknown reference {evidence.reference!r}"
        if evidence.certainty not in grades:
            yield f"evidence for {evidence.reference!r} has unknown certainty {evidence.certainty!r}"
    for unused in sorted(set(model.references) - cited):
        yield f"reference {unused!r} is never cited"


def _linkage_and_what_if_problems(model: Model) -> list[str]:
    problems = []
    link = model.linkage
    tiers = {tier for tier, _ in model.tiers}
    if {link.source, link.target} - set(model.outcomes) or link.source == link.target:
        problems.append("linkage must join two different outcomes")
    if link.when_tier not in tiers:
        problems.append(f"linkage tier {link.when_tier!r} is not a tier")
    factors = {f.id: f for f in model.factors}
    for what_if in model.what_if:
        factor = factors.get(what_if.factor)
        if factor is None or not factor.modifiable:
            problems.append(f"what-if {what_if.id}: its factor must exist and be modifiable")
        elif not (what_if.from_levels | {what_if.to_level}) <= set(factor.levels):
            problems.append(f"what-if {what_if.id}: levels must belong to its factor")
    return problems
