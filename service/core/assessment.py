"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .consistency import input_warnings
from .model import Evidence, Model
from .scoring import HIGHEST, LOWEST, Score, evidence_for, score
from .symptoms import SymptomReview
from .wording import Wording


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._evidence = {  # Evidence -> its JSON object, shared by every response
            e: {"reference": e.reference, "effect": e.effect, "certainty": e.certainty}
            for e in model.all_evidence()
        }
        self._reference_order = {ref: i for i, ref in enumerate(model.references)}
        self._model_ref = {"id": model.id, "version": model.version}

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of one patient (read-only: parts are shared between calls)."""
        model = self.model
        known = score(model, patient, LOWEST)
        unknown = [s.factor for s in known.scored if s.uncertain]
        worst = score(model, patient, HIGHEST) if unknown else known
        what_ifs = self._what_ifs(patient, known)
        unknown_entries = [self.wording.unknown_factor(factor) for factor in unknown]
        unknown_labels = [entry["label"] for entry in unknown_entries]
        cited: set[str] = set()
        outcomes = {
            outcome: self._outcome(outcome, known, worst, what_ifs, unknown_labels, cited)
            for outcome in model.outcomes
        }
        return {
            "model": self._model_ref,
            "outcomes": outcomes,
            "unknown_factors": unknown_entries,
            "warnings": input_warnings(model, patient),
            "symptom_review": self.symptoms(patient.get("symptoms")),
            "references": [self.wording.reference(r) for r in sorted(cited, key=self._reference_order.get)],
            "disclaimer": model.disclaimer,
        }

    def _what_ifs(self, patient: Mapping[str, Any], known: Score) -> list[tuple[str, Score]]:
        levels = {s.factor.id: s.level.id for s in known.scored}
        return [
            (w.change, score(self.model, patient, LOWEST, {w.factor: w.to_level}))
            for w in self.model.what_if
            if levels.get(w.factor) in w.from_levels
        ]

    def _outcome(
        self,
        outcome: str,
        known: Score,
        worst: Score,
        what_ifs: list[tuple[str, Score]],
        unknown_labels: list[str],
        cited: set[str],
    ) -> dict[str, Any]:
        contributing, others = [], []
        for scored in known.scored:
            if scored.uncertain and not scored.markers:
                continue  # unknown: listed in unknown_factors, never shown as absent
            effect = scored.level.effects[outcome]
            if effect.points:
                evidence = self._cite(evidence_for(scored, outcome), cited)
                contributing.append(self.wording.contribution(scored, outcome, evidence))
            else:
                evidence = self._cite(effect.evidence, cited)
                others.append(self.wording.considered(scored, outcome, evidence))
        if known.linked and outcome == self.model.linkage.target:
            evidence = self._cite(self.model.linkage.evidence, cited)
            contributing.append(self.wording.linkage(known, evidence))
        contributing.sort(key=_by_points)
        risk, highest = known.tiers[outcome], worst.tiers[outcome]
        return {
            "risk": risk,
            "risk_range": {"lowest": risk, "highest": highest},
            "points": known.points[outcome],
            "summary": self.wording.summary(outcome, risk, highest, contributing, unknown_labels),
            "contributing_factors": contributing,
            "other_factors_considered": others,
            "what_if": [
                {"change": change, "risk": s.tiers[outcome], "points": s.points[outcome]}
                for change, s in what_ifs
            ],
        }

    def _cite(self, evidence: tuple[Evidence, ...], cited: set[str]) -> list[dict[str, str]]:
        for item in evidence:
            cited.add(item.reference)
        return [self._evidence[item] for item in evidence]


def _by_points(entry: dict[str, Any]) -> int:
    return -entry["points"]
