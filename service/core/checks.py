"""Consistency and safety rules for the model table, checked once when it is loaded: a table that
breaks one refuses to load, so the service cannot start with it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .evidence_checks import evidence_problems, reference_problems
from .publish import tier_ranges
from .rules import RULES
from .symptom_checks import symptom_problems

if TYPE_CHECKING:
    from .table import Factor, Model

KINDS = frozenset(RULES)  # the kinds a factor may name: one rule each
POINTS = re.compile(r"\d\s*points?\b")  # "2–4 points", "5 points or more", "1 point"


class ModelError(ValueError):
    """The model table is inconsistent; the service must not start with it."""


def check_model(model: Model) -> None:
    """Raise ModelError listing every inconsistency in the model table."""
    problems = [
        *_tier_problems(model),
        *_factor_problems(model),
        *evidence_problems(model),
        *reference_problems(model),
        *_linkage_problems(model),
        *_what_if_problems(model),
        *symptom_problems(model),
        *_input_problems(model),
    ]
    if problems:
        raise ModelError("; ".join(problems))


def _tier_problems(model: Model) -> Iterable[str]:
    lows = [lowest for _, lowest in model.tiers]
    if not lows or lows[0] != 0 or lows != sorted(set(lows)):
        yield "tiers must start at 0 points and ascend strictly"
    ranges = tier_ranges(model.tiers)
    for tier in model.document["tiers"]:
        prose = tier.get("meaning", "").removeprefix(f"{ranges.get(tier['id'])}: ")
        if not prose:
            yield "every tier must say what it means"
        elif POINTS.search(prose):
            yield f"tier {tier['id']}: its meaning states points; they are said from min_points"


def _factor_problems(model: Model) -> Iterable[str]:
    ids = [f.id for f in model.factors]
    if len(ids) != len(set(ids)) or model.linkage.id in ids:
        yield "factor ids must be unique"
    for position, factor in enumerate(model.factors):
        if not set(factor.reads) <= set(ids[:position]):
            yield f"factor {factor.id}: it may read only factors listed before it"
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
    if factor.kind in ("flag", "diabetes", "obesity", "other_nicotine") and not {"present", "absent"} <= set(
        factor.levels
    ):
        yield "this kind needs the levels present and absent"
    if factor.kind == "bands":
        mins = [level.min for level in factor.levels.values()]
        if any(m is None for m in mins) or mins != sorted({m for m in mins if m is not None}):
            yield "bands need a strictly ascending min on every level"
    grades = {m.when_true for m in factor.markers} | {b["grade"] for m in factor.markers for b in m.bands}
    if not grades - {None} <= set(factor.levels):
        yield "every marker must lead to a level"
    codes = {m.contradicts_diagnosis for m in factor.markers} | {factor.params.get("contradicts_flag")}
    codes |= {(m.doubts_diagnosis or {}).get("warning") for m in factor.markers}
    if not codes - {None} <= set(warnings):
        yield "every warning code must be defined under warnings"
    yield from _points_problems(factor)


def _points_problems(factor: Factor) -> Iterable[str]:
    for level in factor.levels.values():
        for outcome, effect in level.effects.items():
            where = f"level {level.id}, {outcome}"
            if not isinstance(effect.points, int) or isinstance(effect.points, bool) or effect.points < 0:
                yield f"{where}: points must be a non-negative integer"
            elif effect.points and not (effect.explanation and effect.evidence):
                yield f"{where}: scored points need an explanation and evidence"


def _linkage_problems(model: Model) -> list[str]:
    link, problems = model.linkage, []
    if {link.source, link.target} - set(model.outcomes) or link.source == link.target:
        problems.append("linkage must join two different outcomes")
    if link.when_tier not in {tier for tier, _ in model.tiers}:
        problems.append(f"linkage tier {link.when_tier!r} is not a tier")
    return problems


def _what_if_problems(model: Model) -> Iterable[str]:
    factors = {f.id: f for f in model.factors}
    for what_if in model.what_if:
        factor = factors.get(what_if.factor)
        if factor is None or not factor.modifiable:
            yield f"what-if {what_if.id}: its factor must exist and be modifiable"
        elif not (what_if.from_levels | {what_if.to_level}) <= set(factor.levels):
            yield f"what-if {what_if.id}: levels must belong to its factor"
    if "{changes}" not in model.combined_change:
        yield "the combined what-if must name its {changes}"


def _input_problems(model: Model) -> Iterable[str]:
    """Every input a factor or marker reads is declared, with bounds the model agrees with."""
    read = {f.input for f in model.factors} | {m.input for f in model.factors for m in f.markers}
    read |= {name for f in model.factors for m in f.markers for name in m.unless}
    if not read <= set(model.inputs):
        yield f"inputs not declared: {sorted(read - set(model.inputs))}"
    if model.inputs["age"].get("min") != model.adult_age:
        yield "the age input must start at the adult age"
    smoking = model.by_kind["smoking"]
    if not set(model.inputs[smoking.input]["values"]) <= set(smoking.levels):
        yield "every smoking value must be a level of the smoking factor"
    diabetes = model.by_kind["diabetes"]
    if diabetes.params["thresholds"]["no_effect_region"] not in model.inputs["region"]["values"]:
        yield "the diabetes no-effect region must be a region"
