"""Safety rules for the symptom review, checked when the table is loaded: a table that breaks one
refuses to load, so no triage rule can be weakened by an edit that no test runs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .readability import grade, sentences
from .symptoms import DEPRECATED

if TYPE_CHECKING:
    from .table import Model

URGENCIES = ("emergency", "same_day", "prompt", "routine")  # exactly these, most urgent first
ALWAYS_EMERGENCY = "neurological_deficit"  # a neurological deficit is an emergency in every phase
MECHANICAL = "mechanical"  # pain at the fusion: in the first weeks it is not non-union or loosening
NOT_EARLY = re.compile(r"non-?union|loos", re.IGNORECASE)
ABSCESS = "infection_with_neuro"  # infection with a neurological sign: always an emergency
ABSCESS_SIGNS = ("infection", ALWAYS_EMERGENCY)


def symptom_problems(model: Model) -> Iterable[str]:
    """Yield every way the table's symptom review breaks a rule."""
    review = model.document["symptom_review"]
    if tuple(model.urgencies) != URGENCIES or not all(model.urgencies.values()):
        yield f"urgencies must be exactly {', '.join(URGENCIES)}, in that order, each with advice"
    if not review.get("fever_c", 0) < review.get("high_fever_c", 0):
        yield "high_fever_c must be above fever_c"
    if [below is None for _, below in model.phases] != [False] * (len(model.phases) - 1) + [True]:
        yield "phases must each have a `below` but the last"
    if model.unknown_phase in {phase for phase, _ in model.phases}:
        yield "the unknown phase must not be a phase"
    for code in model.symptoms:
        yield from (f"symptom {code}: {p}" for p in _one_symptom_problems(model, code))
    yield from _alias_problems(model)
    yield from _combination_problems(model, list(review.get("combinations", ())))
    yield from _note_problems(model)


def _one_symptom_problems(model: Model, code: str) -> Iterable[str]:
    symptom, review = model.symptoms[code], model.document["symptom_review"]
    phases = [phase for phase, _ in model.phases]
    if not (symptom.label and symptom.patient_label and symptom.meaning and symptom.sign):
        yield "needs a label, a patient_label, a meaning and a sign"
    if symptom.sign not in review["signs"]:
        yield f"unknown sign {symptom.sign!r}"
    if list(symptom.by_phase) != phases or not set(symptom.by_phase.values()) <= set(model.urgencies):
        yield f"needs a known urgency for each phase: {', '.join(phases)}"
    elif symptom.sign in review.get("emergency_signs", ()) and set(symptom.by_phase.values()) != {
        URGENCIES[0]
    }:
        yield f"a {symptom.sign} sign must always be {URGENCIES[0]}"
    if symptom.patient_label and not _plain(symptom.patient_label, review["patient_label_max_grade"]):
        yield f"the patient_label must be one sentence at grade {review['patient_label_max_grade']} or below"
    if symptom.sign == MECHANICAL and NOT_EARLY.search(symptom.meaning):
        yield "a mechanical meaning, read in the first weeks too, must not name non-union or loosening"
    if not set(symptom.regions) <= set(model.inputs["region"]["values"]):
        yield "unknown region"
    if ALWAYS_EMERGENCY not in review.get("emergency_signs", ()):
        yield f"the {ALWAYS_EMERGENCY} sign must be an emergency sign"


def _plain(label: str, max_grade: float) -> bool:
    """One sentence, at the grade or below."""
    return len(sentences(label)) == 1 and grade(label) <= max_grade


def _alias_problems(model: Model) -> Iterable[str]:
    """An old code reads as a current one, never less urgent than it was, and lasts until a later
    version; its warning is defined."""
    rank = {urgency: position for position, urgency in enumerate(model.urgencies)}
    for code, alias in model.aliases.items():
        target = model.symptoms.get(alias.now)
        if code in model.symptoms:
            yield f"alias {code}: it is a current code"
        if target is None:
            yield f"alias {code}: its code {alias.now!r} does not exist"
        elif set(alias.was) != set(target.by_phase) or not set(alias.was.values()) <= set(rank):
            yield f"alias {code}: needs its earlier urgency in each phase"
        elif any(rank[target.by_phase[p]] > rank[before] for p, before in alias.was.items()):
            yield f"alias {code}: {alias.now} is less urgent than it was"
        if _version(alias.until) <= _version(model.version):
            yield f"alias {code}: it lasts until {alias.until}, not after this version"
    if model.aliases and DEPRECATED not in model.warnings:
        yield f"the {DEPRECATED} warning must be defined under warnings"


def _version(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _combination_problems(model: Model, rows: list[Mapping[str, Any]]) -> Iterable[str]:
    """Combinations name known signs, codes, phases and urgencies; infection with a neurological
    sign is an emergency in every phase."""
    signs = set(model.document["symptom_review"]["signs"])
    phases = {phase for phase, _ in model.phases} | {model.unknown_phase}
    for row in rows:
        named = [part.get("sign", "") for part in row["all_of"] if "codes" not in part]
        codes = [code for part in row["all_of"] for code in part.get("codes", ())]
        if not set(named) <= signs or not set(codes) <= set(model.symptoms) or not row["all_of"]:
            yield f"combination {row['id']}: unknown sign or code"
        if not set(row["phases"]) <= phases:
            yield f"combination {row['id']}: unknown phase"
        if row["at_least"] not in model.urgencies or not row.get("note"):
            yield f"combination {row['id']}: needs a known urgency and a note"
    missing: Mapping[str, Any] = {"all_of": [], "phases": []}
    abscess = next((row for row in rows if row["id"] == ABSCESS), missing)
    parts = sorted(part.get("sign", "") for part in abscess["all_of"])
    if (
        parts != sorted(ABSCESS_SIGNS)
        or abscess.get("at_least") != URGENCIES[0]
        or set(abscess["phases"]) != phases
    ):
        yield f"combination {ABSCESS}: {' and '.join(ABSCESS_SIGNS)} must be {URGENCIES[0]} in every phase"


def _note_problems(model: Model) -> Iterable[str]:
    signs, phases = set(model.document["symptom_review"]["signs"]), {phase for phase, _ in model.phases}
    for note in model.phase_notes:
        if not set(note["signs"]) <= signs or not set(note["phases"]) <= phases:
            yield f"phase note on {', '.join(note['signs'])}: unknown sign or phase"
