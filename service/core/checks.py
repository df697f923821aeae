"""Consistency rules for the model table, checked once when it is loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Factor, Model

KINDS = frozenset({"smoking", "bone", "diabetes", "bands", "obesity", "hba1c", "flag"})


class ModelError(ValueError):
    """The model table is inconsistent; the service must not start with it."""


def check_model(model: Model) -> None:
    """Raise ModelError listing every inconsistency in the model table."""
    problems = [*_tier_problems(model), *_factor_problems(model), *_reference_problems(model)]
    problems += _linkage_and_what_if_problems(model)
    problems += [
        f"symptom {code}: unknown urgency {symptom.urgency!r}"
        for code, symptom in model.symptoms.items()
        if symptom.urgency not in model.urgencies
    ]
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
        yield from (f"factor {factor.id}: {p}" for p in _one_factor_problems(factor, model.warnings))


def _one_factor_problems(factor: Factor, warnings: Mapping[str, str]) -> Iterable[str]:
    if factor.kind not in KINDS:
        yield f"unknown kind {factor.kind!r}"
    if factor.modifiable and not factor.advice:
        yield "a modifiable factor needs advice"
    bounds = set(factor.unknown)
    if factor.core and (
        bounds != {"lowest", "highest"} or not set(factor.unknown.values()) <= set(factor.levels)
    ):
        yield "a core factor must name a lowest and a highest level for unknown values"
    if not factor.core and bounds:
        yield "only core factors can be unknown"
    if factor.kind in ("flag", "diabetes", "obesity") and not {"present", "absent"} <= set(factor.levels):
        yield "this kind needs the levels present and absent"
    if factor.kind == "bands":
        mins = [level.min for level in factor.levels.values()]
        if None in mins or mins != sorted(set(mins)):
            yield "bands need a strictly ascending min on every level"
    grades = {m.when_true for m in factor.markers} | {b["grade"] for m in factor.markers for b in m.bands}
    grades |= {band["level"] for band in factor.params.get("bands", ())}
    if not grades - {None} <= set(factor.levels):
        yield "every marker or band must lead to a level"
    codes = {m.contradicts_diagnosis for m in factor.markers} | {factor.params.get("contradicts_flag")}
    codes |= {(m.doubts_diagnosis or {}).get("warning") for m in factor.markers}
    if not codes - {None} <= set(warnings):
        yield "every warning code must be defined under warnings"
    for level in factor.levels.values():
        for outcome, effect in level.effects.items():
            where = f"level {level.id}, {outcome}"
            if not isinstance(effect.points, int) or isinstance(effect.points, bool) or effect.points < 0:
                yield f"{where}: points must be a non-negative integer"
            elif effect.points and not (effect.explanation and effect.evidence):
                yield f"{where}: scored points need an explanation and evidence"


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
        elif factor.kind == "diabetes":  # the HbA1c rule reads diabetes: a what-if could not change it alone
            problems.append(f"what-if {what_if.id}: another factor's rule reads {factor.id}")
        elif not (what_if.from_levels | {what_if.to_level}) <= set(factor.levels):
            problems.append(f"what-if {what_if.id}: levels must belong to its factor")
    return problems
