"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from .inputs import input_warnings
from .scoring import HIGHEST, LOWEST, Score, rescore, score
from .symptoms import SymptomReview
from .table import Model
from .wording import Wording, join

_POINTS = itemgetter("points")
WhatIf = tuple[str, str, Score]  # (id, change, the scenario after it)


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._references = [(ref, self.wording.reference(ref)) for ref in model.references]  # table order
        self._model_ref = {"id": model.id, "version": model.version}
        self._targets = {w.id: model.factor(w.factor).levels[w.to_level] for w in model.what_if}

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of one patient (read-only: parts are shared between calls)."""
        model = self.model
        known = score(model, patient, LOWEST)
        unknown = [s.factor for s in known.scored.values() if s.uncertain]
        worst = score(model, patient, HIGHEST) if unknown else known
        what_ifs = self._what_ifs(patient, known)
        unknown_entries = [self.wording.unknown_factor(factor) for factor in unknown if factor.core]
        unknown_labels = [entry["label"] for entry in unknown_entries]
        cited: set[str] = set()
        entries = self._entries(known, cited)
        outcomes = {
            outcome: self._outcome(outcome, entries[outcome], known, worst, what_ifs, unknown_labels)
            for outcome in model.outcomes
        }
        return {
            "model": self._model_ref,
            "outcomes": outcomes,
            "unknown_factors": unknown_entries,
            "warnings": input_warnings(model, patient),
            "symptom_review": self.symptoms(patient.get("symptoms"), patient.get("days_since_surgery")),
            "references": [row for ref, row in self._references if ref in cited],
            "disclaimer": model.disclaimer,
        }

    def _what_ifs(self, patient: Mapping[str, Any], known: Score) -> list[WhatIf]:
        """Each change the patient can make, scored; and all of them together when two or more apply."""
        moves = {}
        found: list[WhatIf] = []
        for what_if in self.model.what_if:
            scored = known.scored.get(what_if.factor)
            if scored is not None and scored.level.id in what_if.from_levels:
                move = {what_if.factor: self._targets[what_if.id]}
                found.append((what_if.id, what_if.change, rescore(self.model, patient, known, move)))
                moves.update(move)
        if len(found) > 1:
            change = self.model.combined_change.format(changes=join([change for _, change, _ in found]))
            together = rescore(self.model, patient, known, moves)
            found.append((self.model.document["what_if_combined"]["id"], change, together))
        return found

    def _entries(self, known: Score, cited: set[str]) -> dict[str, tuple[list, list]]:
        """Return (contributing, considered) entries per outcome, most points first."""
        entries = {outcome: ([], []) for outcome in self.model.outcomes}
        lists = list(entries.values())
        for scored in known.scored.values():
            if scored.uncertain and not scored.markers:
                continue  # unknown: listed in unknown_factors, never shown as absent
            for outcome, (contributing, others), (template, references, points) in zip(
                self.model.outcomes, lists, self.wording.entries(scored), strict=True
            ):
                cited |= references
                item = template.copy()
                item["value"] = scored.value
                name, basis = self.wording.decided(scored, outcome)
                if name:
                    item["label"] = name
                if basis:
                    item["basis"] = basis
                (contributing if points else others).append(item)
        if known.linked:
            item, references, _ = self.wording.linkage(known)
            entries[self.model.linkage.target][0].append(item)
            cited |= references
        for contributing, _ in entries.values():
            contributing.sort(key=_POINTS, reverse=True)  # stable: ties keep the table's order
        return entries

    def _outcome(
        self,
        outcome: str,
        entries: tuple[list, list],
        known: Score,
        worst: Score,
        what_ifs: list[WhatIf],
        unknown_labels: list[str],
    ) -> dict[str, Any]:
        contributing, others = entries
        risk, highest = known.tiers[outcome], worst.tiers[outcome]
        return {
            "risk": risk,
            "risk_range": {"lowest": risk, "highest": highest},
            "points": known.points[outcome],
            "summary": self.wording.summary(outcome, risk, highest, contributing, unknown_labels),
            "contributing_factors": contributing,
            "other_factors_considered": others,
            "what_if": [
                {
                    "id": what_if,
                    "change": change,
                    "risk": after.tiers[outcome],
                    "points": after.points[outcome],
                }
                for what_if, change, after in what_ifs
                if after.points[outcome] != known.points[outcome]  # a change that changes nothing is left out
            ],
        }
