"""Assess a patient: score the scenarios, then explain the result as plain JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from operator import add, itemgetter, sub
from typing import Any

from .inputs import input_warnings
from .scoring import HIGHEST, LOWEST, Score, link, rescore, score
from .symptoms import SymptomReview
from .table import Model
from .wording import Wording, join

_POINTS = itemgetter("points")
Entries = tuple[list[dict[str, Any]], list[dict[str, Any]]]  # (contributing, considered) of one outcome
WhatIf = tuple[str, str, Mapping[str, int], Mapping[str, str]]  # (id, change, points, tiers) after it


class Assessor:
    """Turn validated patient data into an assessment, with the model's texts prebuilt once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.wording = Wording(model)
        self.symptoms = SymptomReview(model)
        self._references = {ref: self.wording.reference(ref) for ref in model.references}
        self._reference_order = {ref: position for position, ref in enumerate(model.references)}.__getitem__
        self._model_ref = {"id": model.id, "version": model.version}
        self._targets = {w.id: model.factor(w.factor).levels[w.to_level] for w in model.what_if}
        self._combined_id = model.document["what_if_combined"]["id"]

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
            "warnings": input_warnings(model, patient) + self.symptoms.warnings(patient.get("symptoms")),
            "symptom_review": self.symptoms.of(patient),
            "references": [self._references[ref] for ref in sorted(cited, key=self._reference_order)],
            "disclaimer": model.disclaimer,
        }

    def _what_ifs(self, patient: Mapping[str, Any], known: Score) -> list[WhatIf]:
        """Each change the patient can make, scored; and all of them together when two or more apply."""
        model = self.model
        moves, deltas, read = {}, [], False
        found: list[WhatIf] = []
        for what_if in model.what_if:
            scored = known.scored.get(what_if.factor)
            if scored is None or scored.level.id not in what_if.from_levels:
                continue
            target = self._targets[what_if.id]
            moves[what_if.factor] = target
            if any(reader.id in known.scored for reader in model.dependents[what_if.factor]):
                # factors that read it were scored: score them again
                after = rescore(model, patient, known, {what_if.factor: target})
                points, tiers, read = after.points, after.tiers, True
            else:  # only its own points change
                delta = tuple(map(sub, target.points, scored.level.points))
                deltas.append(delta)
                points, tiers, _ = link(model, dict(zip(known.base, map(add, known.base.values(), delta))))  # noqa: B905
            found.append((what_if.id, what_if.change, points, tiers))
        if len(found) > 1:
            change = model.combined_change.format(changes=join([change for _, change, _, _ in found]))
            if read:
                together = rescore(model, patient, known, moves)
                points, tiers = together.points, together.tiers
            else:  # independent changes: their deltas add up
                totals = map(sum, zip(known.base.values(), *deltas, strict=True))
                points, tiers, _ = link(model, dict(zip(known.base, totals)))  # noqa: B905
            found.append((self._combined_id, change, points, tiers))
        return found

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
                {"id": what_if, "change": change, "risk": tiers[outcome], "points": points[outcome]}
                for what_if, change, points, tiers in what_ifs
                if points[outcome] != known.points[outcome]  # a change that changes nothing is left out
            ],
        }
