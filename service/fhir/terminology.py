"""Load the FHIR code-mapping table (mapping.yaml) and match codings against it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .elements import Code

MAPPING_PATH = Path(__file__).with_name("mapping.yaml")


DIRECTIONS = {"higher": 1, "lower": -1}  # which way a measured value is worse


@dataclass(frozen=True)
class ObservationConcept:
    codes: frozenset[Code]
    units: Mapping[str, Any]  # UCUM code -> factor, or {scale, offset}
    answers: Mapping[Code, Any]  # coded answer -> model value (smoking, other nicotine)
    ranks: Mapping[Any, int]  # model value of a coded answer -> how bad (answers listed worst first)
    worse: int  # a measured value: 1 when higher is worse, -1 when lower is


@dataclass(frozen=True)
class ConditionConcept:
    exact: frozenset[Code]
    prefixes: tuple[Code, ...]  # ICD-10-CM codes matched by prefix
    within_days: int | None = None  # counts only with an onset this recent (None: any time)

    def matches(self, codings: Iterable[Code]) -> bool:
        """Tell whether any coding is this condition (or, for ICD-10-CM, below it)."""
        return any(
            c in self.exact or any(c[0] == s and c[1].startswith(p) for s, p in self.prefixes)
            for c in codings
        )


@dataclass(frozen=True)
class Terminology:
    table: Mapping[str, Any]  # the whole mapping, as documented
    observation_statuses: frozenset[str]
    observations: Mapping[str, ObservationConcept]
    condition_statuses: frozenset[str]
    condition_ignored: frozenset[str]
    conditions: Mapping[str, ConditionConcept]
    steroid_codes: frozenset[Code]
    local_routes: frozenset[Code]  # route codes that are not systemic
    quit_date: frozenset[Code]
    fusion: ConditionConcept  # a code set matched the same way as conditions
    revision: frozenset[Code]
    osteotomy: frozenset[Code]
    gender: Mapping[str, str]  # Patient.gender -> the model's sex
    approaches: Mapping[str, frozenset[Code]]  # the model's approach -> the fusion codes that say it

    def approach(self, found: Iterable[Code]) -> str | None:
        """Return the approach a fusion's codings say: one, both (the mapping's word), or none."""
        said = [name for name, codes in self.approaches.items() if codes.intersection(found)]
        if len(said) > 1:
            return str(self.table["fusion"]["both_approaches"])
        return said[0] if said else None

    def severity(self, name: str, value: Any) -> float:
        """Rank an observed value: of two at the same time, the worse one is read."""
        concept = self.observations[name]
        if concept.ranks:
            return concept.ranks.get(value, 0)
        return value * concept.worse


def _codes(systems: Mapping[str, str], by_system: Mapping[str, Iterable[str]]) -> frozenset[Code]:
    return frozenset((systems[name], str(code)) for name, codes in by_system.items() for code in codes)


def _concept(
    systems: Mapping[str, str], row: Mapping[str, Any], prefixed: tuple[str, ...]
) -> ConditionConcept:
    exact = {k: v for k, v in row.items() if k in systems and k not in prefixed}
    prefixes = tuple((systems[k], str(code)) for k in prefixed if k in row for code in row[k])
    return ConditionConcept(_codes(systems, exact), prefixes, row.get("within_days"))


@cache
def load_terminology(path: Path = MAPPING_PATH) -> Terminology:
    """Read the mapping table once."""
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    systems = table["systems"]
    observations = {
        name: ObservationConcept(
            codes=_codes(systems, row["codes"]),
            units=row.get("units", {}),
            answers={
                code: (None if value == "unknown" else value)
                for value, by_system in row.get("answers", {}).items()
                for code in _codes(systems, by_system)
            },
            ranks=_ranks(row.get("answers", {})),
            worse=DIRECTIONS.get(row.get("worse", ""), 0),
        )
        for name, row in table["observations"].items()
    }
    return Terminology(
        table=table,
        observation_statuses=frozenset(table["observation_statuses"]),
        observations=observations,
        condition_statuses=frozenset(table["condition_statuses"]),
        condition_ignored=frozenset(table["condition_verification_ignored"]),
        conditions={name: _concept(systems, row, ("icd10cm",)) for name, row in table["conditions"].items()},
        steroid_codes=_codes(systems, {"rxnorm": table["steroids"]["rxnorm"]}),
        local_routes=_codes(systems, table["steroids"]["not_systemic_route_codes"]),
        quit_date=_codes(systems, table["quit_date"]["codes"]),
        fusion=_concept(systems, table["fusion"], ("icd10pcs",)),
        revision=_codes(systems, {"cpt": table["history"]["revision_cpt"]}),
        osteotomy=_codes(systems, {"cpt": table["history"]["osteotomy_cpt"]}),
        gender=table["gender"],
        approaches={name: _codes(systems, codes) for name, codes in table["fusion"]["approaches"].items()},
    )


def _ranks(answers: Mapping[Any, Any]) -> dict[Any, int]:
    """Answers are listed worst first: the first ranks highest; "unknown" (None) ranks lowest."""
    values = [None if value == "unknown" else value for value in answers]
    return {value: len(values) - position for position, value in enumerate(values) if value is not None}


def mismatches(terms: Terminology, model: Any) -> list[str]:
    """Return where the mapping disagrees with the model it feeds (checked at start-up)."""
    tiers = {tier for tier, _ in model.tiers}
    problems = []
    if set(terms.table["fusion"]["regions"].values()) - set(model.inputs["region"]["values"]):
        problems.append("fusion regions must be regions of the model")
    smoking = [v for v in terms.table["observations"]["smoking"]["answers"] if v != "unknown"]
    levels = [level for level in model.by_kind["smoking"].levels if level in smoking]
    if set(smoking) != set(model.inputs["smoking"]["values"]) or smoking != levels:
        problems.append("smoking answers must be the model's values, worst first as its levels are")
    for where, keys in (("cds.indicators", terms.table["cds"]["indicators"]), ("output.risk_display",
                        terms.table["output"]["risk_display"])):  # fmt: skip
        if set(keys) != tiers:
            problems.append(f"{where} must name every tier of the model")
    if set(terms.table["output"]["outcome_display"]) != set(model.outcomes):
        problems.append("output.outcome_display must name every outcome of the model")
    problems += _new_input_mismatches(terms, model)
    read = {*terms.observations, *terms.conditions} - {"height_cm", "weight_kg"}
    if read - set(model.inputs):
        problems.append(
            f"observations and conditions must be model inputs: not {sorted(read - set(model.inputs))}"
        )
    return problems


def _new_input_mismatches(terms: Terminology, model: Any) -> list[str]:
    """Where the mapping of model 1.2's inputs read from FHIR (sex, approach) disagrees with the model."""
    problems = []
    fusion = terms.table["fusion"]
    if set(terms.table["gender"].values()) - set(model.inputs["sex"]["values"]):
        problems.append("gender must map to sexes of the model")
    if {*fusion["approaches"], fusion["both_approaches"]} - set(model.inputs["approach"]["values"]):
        problems.append("fusion approaches must be approaches of the model")
    for by_system in fusion["approaches"].values():
        if any(
            str(code) not in map(str, fusion.get(system, ()))
            for system in by_system
            for code in by_system[system]
        ):
            problems.append("fusion approach codes must be fusion codes")
            break
    return problems
