"""Load the table's sections beside the factors: the non-union link, the what-ifs, the advice without
points, and the effects weighed but not scored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .publish import Citations, flat
from .table import Evidence, Linkage, WhatIf


@dataclass(frozen=True, slots=True)
class Advice:
    """Advice that adds no points: for a factor at some levels, or (`from_age`) to measure the bone."""

    id: str
    advice: str
    phases: tuple[str, ...]
    factor: str | None  # the factor whose level it follows
    levels: frozenset[str]  # those levels (for any outcome)
    from_age: Mapping[str, int]  # measure_bone_density: the age from which to measure, per sex
    with_input: str | None  # or with this input true and no density measured


@dataclass(frozen=True, slots=True)
class Considered:
    """An effect weighed and deliberately not scored (the model card lists it)."""

    input: str
    outcome: str
    why: str
    evidence: tuple[Evidence, ...]


def load_linkage(row: Mapping[str, Any], cite: Citations) -> Linkage:
    return Linkage(
        id=row["id"],
        label=row["label"],
        source=row["from"],
        target=row["to"],
        when_tier=row["when_tier"],
        points=row["points"],
        explanation=flat(row["explanation"]),
        via_factors=tuple(row["via_factors"]),
        via_note=row["via_note"],
        evidence=cite(row["evidence"]),
    )


def load_what_if(row: Mapping[str, Any]) -> WhatIf:
    return WhatIf(
        id=row["id"],
        change=row["change"],
        factor=row["factor"],
        from_levels=frozenset(row["from_levels"]),
        to_level=row["to_level"],
        phases=tuple(row["phases"]),
    )


def load_advice(row: Mapping[str, Any]) -> Advice:
    return Advice(
        id=row["id"],
        advice=flat(row["advice"]),
        phases=tuple(row["phases"]),
        factor=row.get("factor"),
        levels=frozenset(row.get("levels", ())),
        from_age=MappingProxyType(dict(row.get("from_age", {}))),
        with_input=row.get("with"),
    )


def load_considered(row: Mapping[str, Any], cite: Citations) -> Considered:
    return Considered(
        input=row["input"], outcome=row["outcome"], why=flat(row["why"]), evidence=cite(row["evidence"])
    )
