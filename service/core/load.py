"""Load the model table (model_v1.yaml) into checked, immutable objects."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from itertools import product
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .checks import ModelError, check_model
from .derived import dependents, tier_table
from .publish import Citations, flat, optional_flat, published, with_thresholds
from .rules import RULES
from .sections import load_advice, load_considered, load_linkage, load_what_if
from .symptoms import catalogue
from .table import Effect, Factor, Level, Marker, Model
from .typical import load_typical

MODEL_PATH = Path(__file__).with_name("model_v1.yaml")


@cache
def default_model() -> Model:
    """Return the model of the committed table, loaded once per process (it is immutable)."""
    return load_model(MODEL_PATH)


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


def _model(table: Mapping[str, Any]) -> Model:
    doc = with_thresholds(table)
    outcomes = {o["id"]: o["name"] for o in doc["outcomes"]}
    references = {r["id"]: r for r in doc["references"]}
    cite = Citations(references)
    tiers = tuple((t["id"], t["min_points"]) for t in doc["tiers"])
    factors = tuple(_factor(f, outcomes, cite) for f in doc["factors"])
    document = published(doc, references)
    return Model(
        id=doc["id"],
        version=doc["version"],
        tiers=tiers,
        outcomes=MappingProxyType(outcomes),
        factors=factors,
        linkage=load_linkage(doc["linkage"], cite),
        what_if=tuple(load_what_if(w) for w in doc.get("what_if", ())),
        combined_change=doc["what_if_combined"]["change"],
        points_change=doc["what_if_points_change"],
        advice=tuple(load_advice(row) for row in doc["advice"]),
        typical=load_typical(doc["typical_rates"]),
        adult_age=doc["adult_age"],
        inputs=MappingProxyType(dict(doc["inputs"])),
        warnings=MappingProxyType({k: flat(v["message"]) for k, v in doc["warnings"].items()}),
        summary=MappingProxyType(dict(doc["summary"])),
        **catalogue(document["symptom_review"]),
        references=MappingProxyType(references),
        disclaimer=doc["disclaimer"].strip(),
        document=document,
        by_kind=MappingProxyType({f.kind: f for f in reversed(factors)}),
        tier_table=tier_table(tiers),
        considered=tuple(load_considered(row, cite) for row in doc.get("considered_not_scored", ())),
        dependents=dependents(factors),
    )


def _factor(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: Citations) -> Factor:
    levels = {lv["id"]: _level(lv, outcomes, cite) for lv in row["levels"]}
    markers = tuple(_marker(m, outcomes, cite) for m in row.get("markers", ()))
    return Factor(
        id=row["id"],
        label=row["label"],
        kind=row["kind"],
        input=row["input"],
        core=row.get("core", False),
        modifiable=row["modifiable"],
        advice=optional_flat(row.get("advice")),
        unknown=MappingProxyType(dict(row.get("unknown", {}))),
        levels=MappingProxyType(levels),
        markers=markers,
        params=MappingProxyType(row),
        descending=tuple(reversed([level for level in levels.values() if level.min is not None])),
        reads=tuple(row.get("reads", ())),
        mixed=_mixed(levels, tuple(outcomes)) if markers else MappingProxyType({}),
        rank=MappingProxyType({level: position for position, level in enumerate(levels)}),
        rule=RULES.get(row["kind"], _unknown_kind),  # an unknown kind is reported by check_model
    )


def _unknown_kind(factor: Factor, *args: Any) -> Any:
    raise ModelError(f"factor {factor.id}: unknown kind {factor.kind!r}")


def _level(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: Citations) -> Level:
    effects = {o: _effect(row[o], row["id"], row["label"], cite) for o in outcomes}
    return Level(
        id=row["id"],
        label=row["label"],
        min=row.get("min"),
        effects=MappingProxyType(effects),
        points=tuple(effect.points for effect in effects.values()),
    )


def _effect(row: Mapping[str, Any], level: str, label: str, cite: Citations) -> Effect:
    return Effect(
        points=row["points"],
        explanation=optional_flat(row.get("explanation")),
        note=optional_flat(row.get("note")),
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


def _marker(row: Mapping[str, Any], outcomes: Mapping[str, str], cite: Citations) -> Marker:
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
