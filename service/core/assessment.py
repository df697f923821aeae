"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from operator import add, itemgetter
from typing import Any

from .consistency import input_warnings
from .model import Level, Model
from .scoring import HIGHEST, LOWEST, Score, link, score
from .symptoms import SymptomReview
from .wording import Wording

_POINTS = itemgetter("points")
_POSITION = itemgetter(0)
WhatIf = tuple[str, dict[str, int], dict[str, str]]  # (change, points, tiers)


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._references = [(ref, self.wording.reference(ref)) for ref in model.references]  # table order
        self._model_ref = {"id": model.id, "version": model.version}
        # level -> the what-ifs that start from it: (table position, change, points gained per outcome)
        self._moves: dict[Level, list[tuple[int, str, tuple[int, ...]]]] = {}
        for position, what_if in enumerate(model.what_if):
            levels = next(f.levels for f in model.factors if f.id == what_if.factor)
            target = levels[what_if.to_level]
            for start in (levels[level] for level in what_if.from_levels):
                delta = tuple(
                    after - before for before, after in zip(start.points, target.points, strict=True)
                )
                self._moves.setdefault(start, []).append((position, what_if.change, delta))

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
        for scored in known.scored:
            for position, change, delta in self._moves.get(scored.level, ()):
                base = dict(zip(known.base, map(add, known.base.values(), delta)))  # noqa: B905
                points, tiers, _ = link(self.model, base)
                found.append((position, change, points, tiers))
        found.sort(key=_POSITION)  # the table's order
        return [move[1:] for move in found]

    def _entries(self, known: Score, cited: set[str]) -> dict[str, tuple[list, list]]:
        """Return (contributing, considered) entries per outcome, most points first."""
        entries = {outcome: ([], []) for outcome in self.model.outcomes}
        lists = list(entries.values())
        templates = self.wording.templates
        for scored in known.scored:
            if scored.uncertain and not scored.markers:
                continue  # unknown: listed in unknown_factors, never shown as absent
            per_outcome, references = templates(scored)
            cited |= references
            value, basis = scored.value, scored.basis
            for (contributing, others), (plain, based, points) in zip(lists, per_outcome):  # noqa: B905
                if basis:  # the refinement that decided the level
                    item = based.copy()
                    item["value"] = value
                    item["basis"] = basis
                else:
                    item = plain.copy()
                    item["value"] = value
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
                {"change": change, "risk": tiers[outcome], "points": p[outcome]}
                for change, p, tiers in what_ifs
            ],
        }
