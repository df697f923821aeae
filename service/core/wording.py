"""Render scored factors, summaries and references as response objects, from the table's text.

Every entry is built once per (factor, level, outcome), with its evidence and the references it
cites; a response copies the entry and sets the patient's value. Parts are shared between
responses, so responses are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Evidence, Factor, Model
from .scoring import Score, Scored, evidence_for

Entry = tuple[dict[str, Any], frozenset[str], int]  # (template, references cited, points)
# A scored factor's templates: (template, points) per outcome, and the references they cite.
Templates = tuple[list[tuple[dict[str, Any], dict[str, Any], int]], frozenset[str]]


class Wording:
    """The response texts of one model, prebuilt once and shared by every response."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._evidence = {
            e: {"reference": e.reference, "effect": e.effect, "certainty": e.certainty}
            for e in model.all_evidence()
        }
        self._entries: dict[tuple, Templates] = {}  # once per level (and bone markers): per outcome
        self._links: dict[tuple[str, ...], Entry] = {}
        self._references = {ref: _reference(row) for ref, row in model.references.items()}
        self._unknown = {f.id: _unknown_entry(f) for f in model.factors if f.core}
        self._names = model.outcomes
        tiers = [tier for tier, _ in model.tiers]
        self._risk_texts = {
            (low, high): low.capitalize() if low == high else f"{low.capitalize()} to {high}"
            for low in tiers
            for high in tiers
        }
        texts = model.summary
        self._max_drivers, self._max_length = texts["max_drivers"], texts["max_length"]
        self._driver_lines = {  # the usual summary, as the text before and after its drivers
            (outcome, risk): tuple(texts["drivers"].format(risk=risk, outcome=name, drivers="\0").split("\0"))
            for outcome, name in model.outcomes.items()
            for risk in self._risk_texts.values()
        }

    def templates(self, scored: Scored) -> Templates:
        """Return the entry templates of a scored factor, one per outcome, and the references
        they cite. Each outcome has a template without `basis` and one with it (right after
        `value`): a response copies one and sets the patient's value (and basis)."""
        key = (scored.level, scored.markers)
        cached = self._entries.get(key)
        if cached is None:
            entries = [self._build(scored, outcome) for outcome in self._names]
            cited = frozenset().union(*(references for _, references, _ in entries))
            cached = self._entries[key] = (
                [(_without_basis(t), t, points) for t, _, points in entries],
                cited,
            )
        return cached

    def _build(self, scored: Scored, outcome: str) -> Entry:
        factor, effect = scored.factor, scored.level.effects[outcome]
        entry: dict[str, Any] = {"factor": factor.id, "label": factor.label, "value": None, "basis": None}
        entry["category"] = scored.level.label
        entry["points"] = effect.points
        evidence = evidence_for(scored, outcome) if effect.points else effect.evidence
        if effect.points:
            entry["modifiable"] = factor.modifiable
            entry["explanation"] = effect.explanation
            if factor.modifiable and factor.advice:
                entry["advice"] = factor.advice
        if effect.note:
            entry["note"] = effect.note
        if evidence or effect.points:
            entry["evidence"] = self._cite(evidence)
        return entry, frozenset(e.reference for e in evidence), effect.points

    def linkage(self, known: Score) -> Entry:
        """Return the entry for the extra point the non-union tier carries over."""
        rule = self.model.linkage
        via = tuple(
            s.factor.label
            for s in known.scored
            if s.factor.id in rule.via_factors and s.level.effects[rule.source].points
        )
        cached = self._links.get(via)
        if cached is None:
            explanation = rule.explanation
            if via:
                note = rule.via_note.format(factors=_join(list(via)))
                explanation = f"{explanation} {note[0].upper()}{note[1:]}"
            entry = {
                "factor": rule.id,
                "label": rule.label,
                "value": rule.when_tier,
                "category": rule.label,
                "points": rule.points,
                "modifiable": False,
                "explanation": explanation,
                "evidence": self._cite(rule.evidence),
            }
            cached = self._links[via] = (entry, frozenset(e.reference for e in rule.evidence), rule.points)
        return cached

    def _cite(self, evidence: tuple[Evidence, ...]) -> list[dict[str, str]]:
        return [self._evidence[item] for item in evidence]

    def summary(self, outcome: str, risk: str, highest: str, contributing: list, unknown: list[str]) -> str:
        """Return the one-line summary of an outcome: the tier or range, drivers, unknowns."""
        risk_text = self._risk_texts[risk, highest]
        drivers = [entry["label"] for entry in contributing[: self._max_drivers]]
        if drivers and not unknown:  # the usual case: one line, short enough unless the labels are long
            before, after = self._driver_lines[outcome, risk_text]
            line = before + _join(drivers) + after
            if len(line) < self._max_length:
                return line
        texts, name = self.model.summary, self._names[outcome]
        unknowns = [_join(unknown), texts["unknown_count"].format(count=len(unknown))] if unknown else [""]
        line = ""
        for unknown_text in unknowns:  # name the unknowns, else count them
            for count in range(len(drivers), 0, -1):  # then fewer drivers
                template = texts["unknown_drivers" if unknown else "drivers"]
                line = template.format(
                    risk=risk_text, outcome=name, drivers=_join(drivers[:count]), unknown=unknown_text
                )
                if len(line) < self._max_length:
                    return line
            if not drivers:
                template = texts["unknown_no_drivers" if unknown else "no_drivers"]
                line = template.format(risk=risk_text, outcome=name, unknown=unknown_text)
                if len(line) < self._max_length:
                    return line
        return line

    def unknown_factor(self, factor: Factor) -> dict[str, Any]:
        """Return the entry for a core factor sent as null (unknown)."""
        return self._unknown[factor.id]

    def reference(self, ref: str) -> dict[str, str]:
        """Return a reference as cited in a response."""
        return self._references[ref]


def _without_basis(template: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in template.items() if key != "basis"}


def _unknown_entry(factor: Factor) -> dict[str, Any]:
    worst = factor.levels[factor.unknown["highest"]].label
    return {
        "factor": factor.id,
        "label": factor.params.get("unknown_label", factor.label),
        "worst_case": worst,
    }


def _reference(row: Mapping[str, str]) -> dict[str, str]:
    return {key: row[key] for key in ("id", "citation", "pmid", "pmc") if key in row}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
