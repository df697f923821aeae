"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any, NamedTuple

from .advice import AdviceRules
from .inputs import input_warnings
from .scoring import HIGHEST, LOWEST, Score, score
from .symptoms import SymptomReview
from .table import Factor, Model
from .typical import RateClass
from .what_if import WhatIf, WhatIfs
from .wording import Wording

_POINTS = itemgetter("points")
Entries = tuple[list[dict[str, Any]], list[dict[str, Any]]]  # (contributing, considered) of one outcome


class Scenarios(NamedTuple):
    """What every result of a patient rests on: the known factors (unknowns at their best), the
    unknowns at their worst, and the kind of operation. The fast `score` and the full assessment
    read the same one."""

    known: Score
    worst: Score  # the known Score itself when nothing is unknown
    unknown: list[Factor]  # factors resting on an unknown core input, in table order
    rate_class: RateClass | None


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._references = {ref: self.wording.reference(ref) for ref in model.references}
        self._reference_order = {ref: position for position, ref in enumerate(model.references)}.__getitem__
        self._model_ref = {"id": model.id, "version": model.version}
        self.what_ifs = WhatIfs(model)
        self.advice = AdviceRules(model)
        self._bone = model.by_kind["bone"].id

    def scenarios(self, patient: Mapping[str, Any]) -> Scenarios:
        """Score the known and the worst scenario, and find the kind of operation."""
        model = self.model
        known = score(model, patient, LOWEST)
        unknown = [s.factor for s in known.scored.values() if s.uncertain]
        worst = score(model, patient, HIGHEST) if unknown else known
        return Scenarios(known, worst, unknown, model.typical.classify(patient))

    def score(self, patient: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """Return per outcome only the figures of the headline, without building any text (for
        scoring many patients): points (the known ones), points_min, points_max, tier (the highest of
        the range), tier_min, tier_max, determinate, and the typical-rate class id (or None). The
        assessment reports the same figures (`points`, `points_range`, `risk`, `risk_range`)."""
        known, worst, _, rate_class = self.scenarios(patient)
        class_id = rate_class.id if rate_class else None
        return {
            outcome: {
                "points": known.points[outcome],
                "points_min": known.points[outcome],
                "points_max": worst.points[outcome],
                "tier": worst.tiers[outcome],
                "tier_min": known.tiers[outcome],
                "tier_max": worst.tiers[outcome],
                "determinate": known.tiers[outcome] == worst.tiers[outcome],
                "typical_rate_class": class_id,
            }
            for outcome in self.model.outcomes
        }

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of one patient (read-only: parts are shared between calls)."""
        model = self.model
        found = self.scenarios(patient)
        known = found.known
        what_ifs = self.what_ifs(patient, known, found.worst)
        unknown_entries = [self.wording.unknown_factor(factor) for factor in found.unknown if factor.core]
        unknown_labels = [entry["label"] for entry in unknown_entries]
        cited: set[str] = set()
        entries = self._entries(known, cited)
        outcomes = {
            outcome: self._outcome(outcome, entries[outcome], found, what_ifs, unknown_labels, patient, cited)
            for outcome in model.outcomes
        }
        return {
            "model": self._model_ref,
            "outcomes": outcomes,
            "operation_class": found.rate_class and model.typical.named[found.rate_class.id],
            "unknown_factors": unknown_entries,
            "warnings": input_warnings(model, patient) + self.symptoms.warnings(patient.get("symptoms")),
            "advice": self.advice(patient, known.scored),
            "symptom_review": self.symptoms.of(patient),
            "references": [self._references[ref] for ref in sorted(cited, key=self._reference_order)],
            "disclaimer": model.disclaimer,
        }

    def _entries(self, known: Score, cited: set[str]) -> dict[str, Entries]:
        """Return (contributing, considered) entries per outcome, most points first."""
        outcomes = self.model.outcomes
        entries: dict[str, Entries] = {outcome: ([], []) for outcome in outcomes}
        lists = list(entries.values())
        wording = self.wording
        for scored in known.scored.values():
            if scored.uncertain and not scored.markers:
                continue  # unknown: listed in unknown_factors, never shown as absent
            refined = scored.markers or scored.basis
            # One template per outcome (wording.py builds them so): no `strict` needed on this hot path.
            for outcome, (contributing, others), (template, references, points) in zip(  # noqa: B905
                outcomes, lists, wording.entries(scored)
            ):
                if references:
                    cited |= references
                item = template.copy()
                item["value"] = scored.value
                if refined:
                    name, basis = wording.decided(scored, outcome)
                    if name:
                        item["label"] = name
                    if basis:
                        item["basis"] = basis
                (contributing if points else others).append(item)
        if known.linked:
            item, references, _ = wording.linkage(known)
            entries[self.model.linkage.target][0].append(item)
            cited |= references
        for contributing, _ in entries.values():
            contributing.sort(key=_POINTS, reverse=True)  # stable: ties keep the table's order
        return entries

    def _outcome(
        self,
        outcome: str,
        entries: Entries,
        found: Scenarios,
        what_ifs: list[WhatIf],
        unknown_labels: list[str],
        patient: Mapping[str, Any],
        cited: set[str],
    ) -> dict[str, Any]:
        contributing, others = entries
        known, worst = found.known, found.worst
        lowest, highest = known.tiers[outcome], worst.tiers[outcome]
        points, most = known.points[outcome], worst.points[outcome]
        bone = worst.scored[self._bone].level.effects[outcome].level
        rate = self.model.typical.block(found.rate_class, outcome, patient, bone)
        if rate is not None:
            cited |= set(rate["references"])
        return {
            "risk": highest,
            "risk_range": {"lowest": lowest, "highest": highest},
            "points": points,
            "points_range": {"lowest": points, "highest": most},
            "determinate": lowest == highest,
            "summary": self.wording.summary(outcome, lowest, highest, contributing, unknown_labels),
            "typical_rate": rate,
            "contributing_factors": contributing,
            "other_factors_considered": others,
            "what_if": self.what_ifs.items(what_ifs, outcome, points, most),
        }
