"""Load the model table (model_v1.yaml) into checked, immutable objects."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from itertools import product
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .checks import ModelError, check_model
from .rules import RULES
from .table import Effect, Evidence, Factor, Level, Linkage, Marker, Model, Symptom, WhatIf

MODEL_PATH = Path(__file__).with_name("model_v1.yaml")


@cache
def default_model() -> Model:
    """Return the model of the committed table, loaded once per process (it is immutable)."""
    return load_model()


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read, check and freeze the model table."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return build_model(document)


def build_model(doc: Mapping[str, Any]) -> Model:
    """Build a Model from the parsed table, raising ModelError on any inconsistency."""
    try:
        model = _model(doc)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ModelError(f"malformed model table: {error!r}") from error
    check_model(model)
    return model


def _model(doc: Mapping[str, Any]) -> Model:
    outcomes = {o["id"]: o["name"] for o in doc["outcomes"]}
    references = {r["id"]: r for r in doc["references"]}
    cite = _Citations(references)
    tiers = tuple((t["id"], t["min_points"]) for t in doc["tiers"])
    factors = tuple(_factor(f, outcomes, cite) for f in doc["factors"])
    review = doc["symptom_review"]
    return Model(
        id=doc["id"],
        version=doc["version"],
        tiers=tiers,
        outcomes=MappingProxyType(outcomes),
        factors=factors,
        linkage=_linkage(doc["linkage"], cite),
        what_if=tuple(_what_if(w) for w in doc.get("what_if", ())),
        combined_change=doc["what_if_combined"]["change"],
        adult_age=doc["adult_age"],
        inputs=MappingProxyType(dict(doc["inputs"])),
        warnings=MappingProxyType({k: _text(v["message"]) for k, v in doc["warnings"].items()}),
        summary=MappingProxyType(dict(doc["summary"])),
        urgencies=MappingProxyType({u["id"]: _text(u["advice"]) for u in review["urgencies"]}),
        symptoms=MappingProxyType({s["code"]: _symptom(s) for s in review["symptoms"]}),
        phases=tuple((p["id"], p.get("below")) for p in review["phases"]),
        phase_notes=tuple({**n, "note": _text(n["note"])} for n in review.get("phase_notes", ())),
        references=MappingProxyType(references),
        disclaimer=doc["disclaimer"].strip(),
        document=_published(doc, references),
        by_kind=MappingProxyType({f.kind: f for f in reversed(factors)}),
        tier_table=_tier_table(tiers),
        dependents=_dependents(factors),
    )


class _Citations:
    """Evidence rows, completed with their reference's design and population."""

    def __init__(self, references: Mapping[str, Mapping[str, Any]]) -> None:
        self.references = references

    def __call__(self, rows: Any) -> tuple[Evidence, ...]:
        return tuple(self.one(row) for row in rows or ())

    def one(self, row: Mapping[str, Any]) -> Evidence:
        source = self.references.get(row["reference"], {})
        return Evidence(
            reference=row["reference"],
            effect=row["effect"],
            certainty=row["certainty"],
            outcome_measured=row["outcome_measured"],
            extrapolated=row.get("extrapolated", False),
            design=row.get("design", source.get("design", "")),
            population=row.get("population", source.get("population", "")),
        )


def _factor(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: _Citations) -> Factor:
    levels = {lv["id"]: _level(lv, outcomes, cite) for lv in row["levels"]}
    markers = tuple(_marker(m, outcomes, cite) for m in row.get("markers", ()))
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
        reads=tuple(row.get("reads", ())),
        mixed=_mixed(levels, tuple(outcomes)) if markers else MappingProxyType({}),
        rank=MappingProxyType({level: position for position, level in enumerate(levels)}),
        rule=RULES.get(row["kind"], _unknown_kind),  # an unknown kind is reported by check_model
    )


def _unknown_kind(factor: Factor, *args: Any) -> Any:
    raise ModelError(f"factor {factor.id}: unknown kind {factor.kind!r}")


def _level(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: _Citations) -> Level:
    effects = {o: _effect(row[o], row["id"], row["label"], cite) for o in outcomes}
    return Level(
        id=row["id"],
        label=row["label"],
        min=row.get("min"),
        effects=MappingProxyType(effects),
        points=tuple(effect.points for effect in effects.values()),
    )


def _effect(row: Mapping[str, Any], level: str, label: str, cite: _Citations) -> Effect:
    return Effect(
        points=row["points"],
        explanation=_text(row.get("explanation")),
        note=_text(row.get("note")),
        evidence=cite(row.get("evidence")),
        level=level,
        label=label,
    )


def _mixed(levels: Mapping[str, Level], outcomes: tuple[str, ...]) -> Mapping[tuple[str, ...], Level]:
    """Return a level for every combination of one level per outcome (the bone group grades each
    outcome from its own markers); a combination of one level is that level itself."""
    mixed = {}
    for combination in product(levels.values(), repeat=len(outcomes)):
        ids = tuple(level.id for level in combination)
        if len(set(ids)) == 1:
            mixed[ids] = combination[0]
            continue
        effects = {o: level.effects[o] for o, level in zip(outcomes, combination, strict=True)}
        mixed[ids] = Level(
            id="+".join(ids),
            label=" / ".join(level.label for level in combination),
            min=None,
            effects=MappingProxyType(effects),
            points=tuple(effect.points for effect in effects.values()),
        )
    return MappingProxyType(mixed)


def _marker(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: _Citations) -> Marker:
    return Marker(
        id=row["id"],
        input=row["input"],
        label=row["label"],
        names=row["names"],
        when_true=row.get("when_true"),
        bands=tuple(row.get("bands", ())),
        basis=row.get("basis"),
        contradicts_diagnosis=row.get("contradicts_diagnosis"),
        doubts_diagnosis=row.get("doubts_diagnosis"),
        evidence=MappingProxyType({o: cite(rows) for o, rows in row.get("evidence", {}).items()}),
        outcomes=frozenset(row.get("outcomes", outcomes)),
        unless=tuple(row.get("unless", ())),
    )


def _symptom(row: Mapping[str, Any]) -> Symptom:
    return Symptom(
        code=row["code"],
        urgency=row["urgency"],
        by_phase=MappingProxyType(dict(row.get("urgency_by_phase", {}))),
        sign=row["sign"],
        label=row["label"],
        meaning=row["meaning"],
    )


def _linkage(row: Mapping[str, Any], cite: _Citations) -> Linkage:
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
        evidence=cite(row["evidence"]),
    )


def _what_if(row: Mapping[str, Any]) -> WhatIf:
    return WhatIf(
        id=row["id"],
        change=row["change"],
        factor=row["factor"],
        from_levels=frozenset(row["from_levels"]),
        to_level=row["to_level"],
    )


def _tier_table(tiers: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Return the tier of each total from 0 to the highest tier's lowest points."""
    top = max(lowest for _, lowest in tiers)
    lowest_tier = tiers[0][0]  # an inconsistent table is reported by check_model, not here
    return tuple(
        next((t for t, lowest in reversed(tiers) if points >= lowest), lowest_tier)
        for points in range(top + 1)
    )


def _dependents(factors: tuple[Factor, ...]) -> Mapping[str, tuple[Factor, ...]]:
    """Return, for each factor, the factors whose rules read it, directly or not, in table order."""
    order = {factor.id: position for position, factor in enumerate(factors)}
    readers = {factor.id: [f.id for f in factors if factor.id in f.reads] for factor in factors}
    found = {}
    for factor in factors:
        reached, waiting = set(), list(readers[factor.id])
        while waiting:
            reader = waiting.pop()
            if reader not in reached:
                reached.add(reader)
                waiting += readers.get(reader, [])
        found[factor.id] = tuple(factors[order[r]] for r in sorted(reached, key=order.__getitem__))
    return MappingProxyType(found)


def _published(doc: Mapping[str, Any], references: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """Return the table as GET /v1/model publishes it: each evidence row with its study's design and
    population, each reference with the outcomes it is cited for."""
    published = copy.deepcopy(dict(doc))
    measured: dict[str, list[str]] = {ref: [] for ref in references}
    for row in _evidence_rows(published):
        source = references.get(row["reference"], {})
        row.setdefault("design", source.get("design"))
        row.setdefault("population", source.get("population"))
        row.setdefault("extrapolated", False)
        if row["outcome_measured"] not in measured.get(row["reference"], [row["outcome_measured"]]):
            measured[row["reference"]].append(row["outcome_measured"])
    for reference in published["references"]:
        reference["citation"] = citation(reference)
        reference["measured"] = measured.get(reference["id"], [])
    return published


def citation(row: Mapping[str, Any]) -> str:
    """Return a reference as one citation line: authors, title, journal, year and detail."""
    authors, title, journal, year = (row.get(key) or "" for key in ("authors", "title", "journal", "year"))
    detail = f";{row['detail']}" if row.get("detail") else ""
    return " ".join(f"{authors}. {title}. {journal} {year}{detail}.".split())


def _evidence_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = list(doc["linkage"]["evidence"])
    for factor in doc["factors"]:
        for level in factor["levels"]:
            rows += [e for o in doc["outcomes"] for e in level[o["id"]].get("evidence", ())]
        for marker in factor.get("markers", ()):
            rows += [e for entries in marker.get("evidence", {}).values() for e in entries]
    return rows


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None
