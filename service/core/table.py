"""The model table as frozen objects: what each factor, level, marker, symptom and reference is."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sections import Advice, Considered
    from .typical import TypicalRates


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cited effect: the study's design and population come from its reference."""

    reference: str
    effect: str
    certainty: str
    outcome_measured: str
    extrapolated: bool
    design: str
    population: str
    outcome_source: str  # imaging, reoperation, coded or mixed


@dataclass(frozen=True, slots=True)
class Effect:
    """What one level of a factor does to one outcome."""

    points: int
    explanation: str | None
    note: str | None
    evidence: tuple[Evidence, ...]
    level: str  # the level it belongs to (a bone level may mix outcomes from two)
    label: str  # that level's label: the category shown


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
    names: str  # how it names the factor when it decides it, e.g. "low bone density (DXA T-score {value})"
    when_true: str | None  # grade of a true yes/no marker
    bands: tuple[Mapping[str, Any], ...]  # numeric marker: {grade, at_most | below}, worst first
    basis: str | None  # how it is quoted as the basis, e.g. "DXA T-score {value}"
    contradicts_diagnosis: str | None  # warning code when it shows osteoporosis the flag denies
    doubts_diagnosis: Mapping[str, Any] | None  # {above, warning}: a value that questions the flag
    evidence: Mapping[str, tuple[Evidence, ...]]  # its own evidence, per outcome
    outcomes: frozenset[str]  # the outcomes it grades
    unless: tuple[str, ...]  # inputs whose presence drops it


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
    params: Mapping[str, Any]  # the table row: kind-specific thresholds and texts
    descending: tuple[Level, ...]  # the levels with a `min`, last first (for banded lookups)
    reads: tuple[str, ...]  # earlier factors whose level its rule reads
    mixed: Mapping[tuple[str, ...], Level]  # level ids per outcome -> a level mixing them
    rank: Mapping[str, int]  # level id -> its place in the table (worst first for graded factors)
    rule: Callable[..., Any]  # the rule of its kind (rules.py), looked up once


@dataclass(frozen=True, slots=True)
class Symptom:
    """One symptom code, its texts with the fever thresholds filled in."""

    code: str
    urgency: str  # without days since surgery: the most urgent of its phases
    by_phase: Mapping[str, str]  # phase -> urgency, for every phase
    sign: str
    label: str  # clinical
    patient_label: str  # one plain sentence
    meaning: str
    regions: tuple[str, ...]  # the regions it belongs to (none: every region)


@dataclass(frozen=True, slots=True)
class Alias:
    """A symptom code of an earlier version, read as its current code until a version."""

    code: str
    now: str
    until: str
    was: Mapping[str, str]  # its urgency in each phase, before


@dataclass(frozen=True, slots=True)
class Combination:
    """Findings more urgent together: one code of every part reported, in one of the phases."""

    id: str
    parts: tuple[frozenset[str], ...]  # each part's codes (a sign's, or those listed)
    phases: frozenset[str]  # phase ids, and the unknown phase's
    at_least: str
    note: str


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
    phases: tuple[str, ...]  # when it is offered: pre_operative, post_operative


@dataclass(frozen=True)
class Model:
    id: str
    version: str
    tiers: tuple[tuple[str, int], ...]  # (tier id, lowest points), ascending
    outcomes: Mapping[str, str]  # outcome id -> short name
    factors: tuple[Factor, ...]
    linkage: Linkage
    what_if: tuple[WhatIf, ...]
    combined_change: str  # the all-changes item's text, with {changes}
    points_change: str  # a what-if's change in words, with {risk}, {before} and {after}
    advice: tuple[Advice, ...]
    typical: TypicalRates
    adult_age: int
    inputs: Mapping[str, Mapping[str, Any]]  # request field -> type, bounds, unit, example
    warnings: Mapping[str, str]  # code -> message
    summary: Mapping[str, Any]
    urgencies: Mapping[str, str]  # urgency -> advice, most urgent first
    symptoms: Mapping[str, Symptom]
    aliases: Mapping[str, Alias]  # an earlier version's code -> how it is read now
    combinations: tuple[Combination, ...]
    phases: tuple[tuple[str, int | None], ...]  # (phase, days it is below), in order
    unknown_phase: str  # the phase's name when days since surgery are not given
    phase_notes: tuple[Mapping[str, Any], ...]  # {signs, phases, note}
    references: Mapping[str, Mapping[str, Any]]
    disclaimer: str
    document: Mapping[str, Any]  # the whole table, as published by GET /v1/model
    by_kind: Mapping[str, Factor]  # the first factor of each kind
    tier_table: tuple[str, ...]  # points -> tier, up to the highest tier's lowest points
    considered: tuple[Considered, ...]  # effects weighed and not scored
    dependents: Mapping[str, tuple[Factor, ...]]  # factor id -> the factors reading it, in order

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def all_evidence(self) -> Iterator[tuple[str, Evidence]]:
        """Yield (outcome, evidence row) for every row in the table, in table order."""
        for factor in self.factors:
            for level in factor.levels.values():
                for outcome, effect in level.effects.items():
                    yield from ((outcome, e) for e in effect.evidence)
            for marker in factor.markers:
                for outcome, rows in marker.evidence.items():
                    yield from ((outcome, e) for e in rows)
        yield from ((self.linkage.target, e) for e in self.linkage.evidence)
        yield from ((item.outcome, e) for item in self.considered for e in item.evidence)

    def tier(self, points: int) -> str:
        """Return the tier reached by a points total."""
        table = self.tier_table
        return table[points] if points < len(table) else table[-1]
