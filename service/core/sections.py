"""Load the table's sections beside the factors: the non-union link, the what-ifs, the advice without
points, and the effects weighed but not scored."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .publish import Citations, text
from .table import Advice, Considered, Linkage, WhatIf


def load_linkage(row: Mapping[str, Any], cite: Citations) -> Linkage:
    return Linkage(
        id=row["id"],
        label=row["label"],
        source=row["from"],
        target=row["to"],
        when_tier=row["when_tier"],
        points=row["points"],
        explanation=text(row["explanation"]),
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
        advice=text(row["advice"]),
        phases=tuple(row["phases"]),
        factor=row.get("factor"),
        levels=frozenset(row.get("levels", ())),
        from_age=MappingProxyType(dict(row.get("from_age", {}))),
        with_input=row.get("with"),
    )


def load_considered(row: Mapping[str, Any], cite: Citations) -> Considered:
    return Considered(
        input=row["input"], outcome=row["outcome"], why=text(row["why"]), evidence=cite(row["evidence"])
    )
