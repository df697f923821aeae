"""Load the model table (model_v1.yaml) into validated, immutable objects."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .checks import ModelError, check_model

MODEL_PATH = Path(__file__).with_name("model_v1.yaml")
__all__ = ["MODEL_PATH", "Model", "ModelError", "build_model", "load_model"]


@dataclass(frozen=True, slots=True)
class Evidence:
    reference: str
    effect: str
    certainty: str


@dataclass(frozen=True, slots=True)
class Effect:
    """What one level of a factor does to one outcome."""

    points: int
    explanation: str | None
    note: str | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True, eq=False)  # one object per level: hashed by identity
class Level:
    id: str
    label: str
    min: float | None
    effects: Mapping[str, Effect]
    points: tuple[int, ...]  # points per outcome, in the table's outcome order


@dataclass(frozen=True, slots=True, eq=False)  # one object per marker: hashed by identity
class Marker:
    """One bone-quality marker: an input and the grade (a level id) its values indicate."""

    id: str
    input: str
    label: str
    when_true: str | None  # grade of a true flag marker
    bands: tuple[Mapping[str, Any], ...]  # numeric marker: {grade, at_most | below}, worst first
    basis: str | None  # how the marker is named when it decides, e.g. "DXA T-score {value}"
    contradicts_diagnosis: str | None  # warning code when it shows osteoporosis the flag denies
    doubts_diagnosis: Mapping[str, Any] | None  # {above, warning}: a value that questions the flag
    evidence: Mapping[str, tuple[Evidence, ...]]  # its own evidence, for the outcomes it covers


@dataclass(frozen=True, slots=True)
class Factor:
    id: str
    label: str
    kind: str
    input: str
    core: bool  # one of the six required inputs (may be null: unknown)
    modifiable: bool
    advice: str | None
    unknown: Mapping[str, str]  # "lowest"/"highest" -> level id (core factors)
    levels: Mapping[str, Level]
    markers: tuple[Marker, ...]
    params: Mapping[str, Any]  # the table row: kind-specific thresholds, bands and texts
    descending: tuple[Level, ...]  # the levels, last first (for banded lookups)
    refinements: tuple[str, ...]  # inputs of the markers other than the factor's own input


@dataclass(frozen=True, slots=True)
class Symptom:
    code: str
    urgency: str
    label: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Linkage:
    id: str
    label: str
    source: str
    target: str
    when_tier: str
    points: int
    explanation: str
    via_factors: tuple[str, ...]
    via_note: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class WhatIf:
    id: str
    change: str
    factor: str
    from_levels: frozenset[str]
    to_level: str


@dataclass(frozen=True)
class Model:
    id: str
    version: str
    tiers: tuple[tuple[str, int], ...]  # (tier id, lowest points), ascending
    outcomes: Mapping[str, str]  # outcome id -> short name
    factors: tuple[Factor, ...]
    linkage: Linkage
    what_if: tuple[WhatIf, ...]
    adult_age: int
    hba1c_diabetic_range_from: float
    warnings: Mapping[str, str]  # code -> message
    summary: Mapping[str, Any]
    urgencies: Mapping[str, str]  # urgency -> advice, most urgent first
    symptoms: Mapping[str, Symptom]
    references: Mapping[str, Mapping[str, str]]
    disclaimer: str
    document: Mapping[str, Any]  # the whole table, as published by GET /v1/model
    by_kind: Mapping[str, Factor]  # the first factor of each kind
    tier_table: tuple[str, ...]  # points -> tier, up to the highest tier's lowest points

    def all_evidence(self) -> Iterator[Evidence]:
        """Yield every evidence row in the table, in table order."""
        for factor in self.factors:
            for level in factor.levels.values():
                for effect in level.effects.values():
                    yield from effect.evidence
            for marker in factor.markers:
                for rows in marker.evidence.values():
                    yield from rows
        yield from self.linkage.evidence

    def tier(self, points: int) -> str:
        """Return the tier reached by a points total."""
        table = self.tier_table
        return table[points] if points < len(table) else table[-1]


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read, validate and freeze the model table."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return build_model(document)


def build_model(doc: Mapping[str, Any]) -> Model:
    """Build a Model from the parsed table, raising ModelError on any inconsistency."""
    try:
        outcomes = {o["id"]: o["name"] for o in doc["outcomes"]}
        tiers = tuple((t["id"], t["min_points"]) for t in doc["tiers"])
        factors = tuple(_factor(f, outcomes) for f in doc["factors"])
        model = Model(
            id=doc["id"],
            version=doc["version"],
            tiers=tiers,
            outcomes=MappingProxyType(outcomes),
            factors=factors,
            linkage=_linkage(doc["linkage"]),
            what_if=tuple(_what_if(w) for w in doc.get("what_if", ())),
            adult_age=doc["adult_age"],
            hba1c_diabetic_range_from=doc["hba1c_diabetic_range_from"],
            warnings=MappingProxyType({k: _text(v["message"]) for k, v in doc["warnings"].items()}),
            summary=MappingProxyType(dict(doc["summary"])),
            urgencies=MappingProxyType(
                {u["id"]: _text(u["advice"]) for u in doc["symptom_review"]["urgencies"]}
            ),
            symptoms=MappingProxyType(
                {
                    s["code"]: Symptom(s["code"], s["urgency"], s["label"], s["meaning"])
                    for s in doc["symptom_review"]["symptoms"]
                }
            ),
            references=MappingProxyType({r["id"]: r for r in doc["references"]}),
            disclaimer=doc["disclaimer"].strip(),
            document=doc,
            by_kind=MappingProxyType({f.kind: f for f in reversed(factors)}),
            tier_table=_tier_table(tiers),
        )
    except (KeyError, TypeError) as error:
        raise ModelError(f"malformed model table: {error!r}") from error
    check_model(model)
    return model


def _tier_table(tiers: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Return the tier of each total from 0 to the highest tier's lowest points."""
    top = max(lowest for _, lowest in tiers)
    lowest_tier = tiers[0][0]  # an inconsistent table is reported by check_model, not here
    return tuple(
        next((t for t, lowest in reversed(tiers) if points >= lowest), lowest_tier)
        for points in range(top + 1)
    )


def _evidence(rows: Any) -> tuple[Evidence, ...]:
    return tuple(Evidence(r["reference"], r["effect"], r["certainty"]) for r in rows or ())


def _effect(row: Mapping[str, Any]) -> Effect:
    return Effect(
        points=row["points"],
        explanation=_text(row.get("explanation")),
        note=_text(row.get("note")),
        evidence=_evidence(row.get("evidence")),
    )


def _factor(row: Mapping[str, Any], outcomes: Mapping[str, str]) -> Factor:
    levels = {
        lv["id"]: Level(
            id=lv["id"],
            label=lv["label"],
            min=lv.get("min"),
            effects=MappingProxyType({o: _effect(lv[o]) for o in outcomes}),
            points=tuple(lv[o]["points"] for o in outcomes),
        )
        for lv in row["levels"]
    }
    markers = tuple(
        Marker(
            id=m["id"],
            input=m["input"],
            label=m["label"],
            when_true=m.get("when_true"),
            bands=tuple(m.get("bands", ())),
            basis=m.get("basis"),
            contradicts_diagnosis=m.get("contradicts_diagnosis"),
            doubts_diagnosis=m.get("doubts_diagnosis"),
            evidence=MappingProxyType(
                {o: _evidence(rows) for o, rows in m.get("evidence", {}).items() if o in outcomes}
            ),
        )
        for m in row.get("markers", ())
    )
    return Factor(
        id=row["id"],
        label=row["label"],
        kind=row["kind"],
        input=row["input"],
        core=row.get("core", False),
        modifiable=row["modifiable"],
        advice=_text(row.get("advice")),
        unknown=MappingProxyType(dict(row.get("unknown", {}))),
        levels=MappingProxyType(levels),
        markers=markers,
        params=MappingProxyType(row),
        descending=tuple(reversed(levels.values())),
        refinements=tuple(m.input for m in markers if m.input != row["input"]),
    )


def _linkage(row: Mapping[str, Any]) -> Linkage:
    return Linkage(
        id=row["id"],
        label=row["label"],
        source=row["from"],
        target=row["to"],
        when_tier=row["when_tier"],
        points=row["points"],
        explanation=_text(row["explanation"]) or "",
        via_factors=tuple(row["via_factors"]),
        via_note=row["via_note"],
        evidence=_evidence(row["evidence"]),
    )


def _what_if(row: Mapping[str, Any]) -> WhatIf:
    return WhatIf(
        id=row["id"],
        change=row["change"],
        factor=row["factor"],
        from_levels=frozenset(row["from_levels"]),
        to_level=row["to_level"],
    )


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None
