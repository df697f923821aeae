"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .consistency import input_warnings
from .model import Model
from .scoring import HIGHEST, LOWEST, Score, link, score
from .symptoms import SymptomReview
from .wording import Wording, fill

WhatIf = tuple[str, dict[str, int], dict[str, str]]  # (change, points, tiers)


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._references = [(ref, self.wording.reference(ref)) for ref in model.references]  # table order
        self._model_ref = {"id": model.id, "version": model.version}
        self._levels = {factor.id: factor.levels for factor in model.factors}

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of one patient (read-only: parts are shared between calls)."""
        model = self.model
        known = score(model, patient, LOWEST)
        unknown = [s.factor for s in known.scored if s.uncertain]
        worst = score(model, patient, HIGHEST) if unknown else known
        what_ifs = self._what_ifs(known)
        unknown_entries = [self.wording.unknown_factor(factor) for factor in unknown]
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
            "symptom_review": self.symptoms(patient.get("symptoms")),
            "references": [row for ref, row in self._references if ref in cited],
            "disclaimer": model.disclaimer,
        }

    def _what_ifs(self, known: Score) -> list[WhatIf]:
        """Move each changeable factor to its target level: only its points and the link change."""
        found = []
        levels = {s.factor.id: s.level for s in known.scored}
        for what_if in self.model.what_if:
            level = levels.get(what_if.factor)
            if level is None or level.id not in what_if.from_levels:
                continue
            target = self._levels[what_if.factor][what_if.to_level]
            base = {
                o: total - level.effects[o].points + target.effects[o].points
                for o, total in known.base.items()
            }
            points, tiers, _ = link(self.model, base)
            found.append((what_if.change, points, tiers))
        return found

    def _entries(self, known: Score, cited: set[str]) -> dict[str, tuple[list, list]]:
        """Return (contributing, considered) entries per outcome, most points first."""
        entries = {outcome: ([], []) for outcome in self.model.outcomes}
        lists = list(entries.values())
        for scored in known.scored:
            if scored.uncertain and not scored.markers:
                continue  # unknown: listed in unknown_factors, never shown as absent
            for (contributing, others), (template, references, points) in zip(
                lists, self.wording.templates(scored), strict=True
            ):
                cited |= references
                (contributing if points else others).append(fill(template, scored))
        if known.linked:
            item, references, _ = self.wording.linkage(known)
            entries[self.model.linkage.target][0].append(item)
            cited |= references
        for contributing, _ in entries.values():
            contributing.sort(key=_by_points)
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
                {"change": change, "risk": tiers[outcome], "points": p[outcome]}
                for change, p, tiers in what_ifs
            ],
        }


def _by_points(entry: dict[str, Any]) -> int:
    return -entry["points"]
