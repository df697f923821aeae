"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .consistency import input_warnings
from .model import Evidence, Model
from .scoring import HIGHEST, LOWEST, Score, marker_evidence, score
from .wording import Wording


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self._evidence = {  # Evidence -> its JSON object, shared by every response
            e: {"reference": e.reference, "effect": e.effect, "certainty": e.certainty}
            for e in model.all_evidence()
        }
        self._reference_order = {ref: i for i, ref in enumerate(model.references)}
        self._model_ref = {"id": model.id, "version": model.version}

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of one patient (read-only: parts are shared between calls)."""
        model = self.model
        unknown = [f for f in model.factors if patient.get(f.input) is None]
        known = score(model, patient, LOWEST)
        worst = score(model, patient, HIGHEST) if unknown else known
        what_ifs = self._what_ifs(patient, known)
        cited: set[str] = set()
        outcomes = {
            outcome: self._outcome(outcome, known, worst, what_ifs, cited) for outcome in model.outcomes
        }
        return {
            "model": self._model_ref,
            "outcomes": outcomes,
            "unknown_factors": [self.wording.unknown_factor(f) for f in unknown],
            "warnings": input_warnings(model, patient),
            "symptom_review": None,
            "references": [self.wording.reference(r) for r in sorted(cited, key=self._reference_order.get)],
            "disclaimer": model.disclaimer,
        }

    def _what_ifs(self, patient: Mapping[str, Any], known: Score) -> list[tuple[str, Score]]:
        levels = {s.factor.id: s.level.id for s in known.scored}
        return [
            (w.change, score(self.model, patient, LOWEST, {w.factor: w.to_level}))
            for w in self.model.what_if
            if levels[w.factor] in w.from_levels
        ]

    def _outcome(
        self,
        outcome: str,
        known: Score,
        worst: Score,
        what_ifs: list[tuple[str, Score]],
        cited: set[str],
    ) -> dict[str, Any]:
        contributing, others = [], []
        for scored in known.scored:
            if scored.value is None:
                continue  # unknown: listed in unknown_factors, never as absent
            effect = scored.level.effects[outcome]
            if effect.points:
                evidence = self._cite(marker_evidence(scored, outcome), cited)
                contributing.append(self.wording.contribution(scored, outcome, evidence))
            else:
                evidence = self._cite(effect.evidence, cited)
                others.append(self.wording.considered(scored, outcome, evidence))
        if known.linked and outcome == self.model.linkage.target:
            evidence = self._cite(self.model.linkage.evidence, cited)
            contributing.append(self.wording.linkage(known, evidence))
        contributing.sort(key=_by_points)
        risk = known.tiers[outcome]
        return {
            "risk": risk,
            "risk_range": {"lowest": risk, "highest": worst.tiers[outcome]},
            "points": known.points[outcome],
            "summary": self.wording.summary(outcome, risk, worst.tiers[outcome], contributing),
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
