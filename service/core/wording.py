"""Render scored factors, summaries and references as response objects, from the table's text."""

from __future__ import annotations

from typing import Any

from .model import Factor, Model
from .scoring import Score, Scored


class Wording:
    """The response texts of one model, prebuilt once and shared by every response."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._static = {
            (factor.id, level.id, outcome): _static_entry(factor, level.label, effect)
            for factor in model.factors
            for level in factor.levels.values()
            for outcome, effect in level.effects.items()
        }
        self._references = {ref: _reference(row) for ref, row in model.references.items()}
        self._names = model.outcomes

    def contribution(self, scored: Scored, outcome: str, evidence: list) -> dict[str, Any]:
        """Return a contributing-factor entry (points above zero)."""
        entry = {"factor": scored.factor.id, "label": scored.factor.label, "value": scored.value}
        if scored.basis:
            entry["basis"] = scored.basis
        entry.update(self._static[scored.factor.id, scored.level.id, outcome])
        entry["evidence"] = evidence
        return entry

    def considered(self, scored: Scored, outcome: str, evidence: list) -> dict[str, Any]:
        """Return an entry for a factor that was checked and scored zero points."""
        static = self._static[scored.factor.id, scored.level.id, outcome]
        entry = {
            "factor": scored.factor.id,
            "label": scored.factor.label,
            "value": scored.value,
        }
        if scored.basis:
            entry["basis"] = scored.basis
        entry["category"] = static["category"]
        entry["points"] = 0
        if "note" in static:
            entry["note"] = static["note"]
        if evidence:
            entry["evidence"] = evidence
        return entry

    def linkage(self, known: Score, evidence: list) -> dict[str, Any]:
        """Return the entry for the extra point the non-union tier carries over."""
        link = self.model.linkage
        via = [
            s.factor.label
            for s in known.scored
            if s.factor.id in link.via_factors and s.level.effects[link.source].points
        ]
        explanation = link.explanation
        if via:
            note = link.via_note.format(factors=_join(via))
            explanation = f"{explanation} {note[0].upper()}{note[1:]}"
        return {
            "factor": link.id,
            "label": link.label,
            "value": known.tiers[link.source],
            "category": link.label,
            "points": link.points,
            "modifiable": False,
            "explanation": explanation,
            "evidence": evidence,
        }

    def summary(self, outcome: str, risk: str, highest: str, contributing: list, unknown: list[str]) -> str:
        """Return the one-line summary of an outcome: the tier or range, drivers, unknowns."""
        texts = self.model.summary
        name = self._names[outcome]
        risk_text = risk.capitalize() if highest == risk else f"{risk.capitalize()} to {highest}"
        drivers = [entry["label"] for entry in contributing[: texts["max_drivers"]]]
        unknowns = [_join(unknown), texts["unknown_count"].format(count=len(unknown))] if unknown else [""]
        line = ""
        for unknown_text in unknowns:  # name the unknowns, else count them
            for count in range(len(drivers), 0, -1):  # then fewer drivers
                template = texts["unknown_drivers" if unknown else "drivers"]
                line = template.format(
                    risk=risk_text, outcome=name, drivers=_join(drivers[:count]), unknown=unknown_text
                )
                if len(line) < texts["max_length"]:
                    return line
            if not drivers:
                template = texts["unknown_no_drivers" if unknown else "no_drivers"]
                line = template.format(risk=risk_text, outcome=name, unknown=unknown_text)
                if len(line) < texts["max_length"]:
                    return line
        return line

    def unknown_factor(self, factor: Factor) -> dict[str, Any]:
        """Return the entry for a core factor sent as null (unknown)."""
        worst = factor.levels[factor.unknown["highest"]].label
        label = factor.params.get("unknown_label", factor.label)
        return {"factor": factor.id, "label": label, "worst_case": worst}

    def reference(self, ref: str) -> dict[str, str]:
        """Return a reference as cited in a response."""
        return self._references[ref]


def _static_entry(factor: Factor, category: str, effect) -> dict[str, Any]:
    entry: dict[str, Any] = {"category": category, "points": effect.points, "modifiable": factor.modifiable}
    if effect.explanation:
        entry["explanation"] = effect.explanation
    if factor.modifiable and factor.advice:
        entry["advice"] = factor.advice
    if effect.note:
        entry["note"] = effect.note
    return entry


def _reference(row: dict[str, str]) -> dict[str, str]:
    return {key: row[key] for key in ("id", "citation", "pmid", "pmc") if key in row}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
