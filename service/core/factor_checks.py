"""Factor integrity, checked at load: known kinds with the levels their rule needs, bands that ascend
(and the regional levels they lead to), an osteotomy's rods leading to its levels, unknown bounds
for core factors only, advice for modifiable ones, and scored points with an explanation and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .rules import RULES

if TYPE_CHECKING:
    from .table import Factor, Model

KINDS = frozenset(RULES)  # the kinds a factor may name: one rule each


def factor_problems(model: Model) -> Iterable[str]:
    ids = [f.id for f in model.factors]
    if len(ids) != len(set(ids)) or model.linkage.id in ids:
        yield "factor ids must be unique"
    for position, factor in enumerate(model.factors):
        if not set(factor.reads) <= set(ids[:position]):
            yield f"factor {factor.id}: it may read only factors listed before it"
        yield from (f"factor {factor.id}: {p}" for p in _one_factor_problems(factor, model.warnings))
        yield from (f"factor {factor.id}: {p}" for p in _shape_problems(factor, model.inputs))


def _shape_problems(factor: Factor, inputs: Mapping[str, Mapping[str, Any]]) -> Iterable[str]:
    """Bands ascend and their regional levels exist; an osteotomy's rod counts lead to levels."""
    if factor.kind == "bands":
        mins = [level.min for level in reversed(factor.descending) if level.min is not None]
        if not mins or mins != sorted(set(mins)):
            yield "bands need a strictly ascending min"
        regional = factor.params.get("by_region") or {}
        targets = {target for moves in regional.values() for target in moves.values()}
        if not set(regional) <= set(inputs["region"]["values"]):
            yield "by_region must name regions"
        if any(
            band not in factor.levels or factor.levels[band].min is None
            for m in regional.values()
            for band in m
        ):
            yield "by_region must move bands"
        if not targets <= {lv.id for lv in factor.levels.values() if lv.min is None}:
            yield "by_region must lead to levels without a min"
        if {lv.id for lv in factor.levels.values() if lv.min is None} - targets:
            yield "every level needs a min or a region leading to it"
    if factor.kind == "osteotomy":
        rods = factor.params.get("rods") or {}
        values = inputs.get(str(rods.get("input")), {}).get("values", ())
        if not values or set(rods.get("basis", {})) != set(values):
            yield "rods must name a declared input and a basis for each of its values"
        elif not set(rods.get("levels", {})) <= set(values) or not set(rods["levels"].values()) <= set(
            factor.levels
        ):
            yield "rods must lead from its values to levels of the factor"


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
    if factor.kind in ("flag", "diabetes", "obesity", "other_nicotine", "osteotomy") and not {
        "present",
        "absent",
    } <= set(factor.levels):
        yield "this kind needs the levels present and absent"
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
