"""Render scored factors, summaries and references as response objects, from the table's text.

Every entry is built once per (level, outcome), with its evidence and the references it cites; a
response copies the entry and sets the patient's value. Parts are shared between responses, so
responses are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .publish import citation
from .scoring import Score, Scored, deciding, evidence_for
from .table import Evidence, Factor, Model

MINUS = "\u2212"  # a measurement is shown with a true minus sign: "DXA T-score −2.8"
Entry = tuple[dict[str, Any], frozenset[str], int]  # (template, references cited, points)


class Wording:
    """The response texts of one model, prebuilt once and shared by every response."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._evidence = {row: _evidence(row) for _, row in model.all_evidence()}
        self._entries: dict[Any, list[Entry]] = {}  # level, or (level, markers) -> one entry per outcome
        self._links: dict[tuple[str, ...], Entry] = {}
        self._references = {ref: _reference(row) for ref, row in model.references.items()}
        self._unknown = {f.id: _unknown_entry(f) for f in model.factors if f.core}
        self._names = model.outcomes
        tiers = [tier for tier, _ in model.tiers]
        self._lowest_tier = tiers[0]
        self._risk_texts = {
            (low, high): low.capitalize() if low == high else f"{low.capitalize()} to {high}"
            for low in tiers
            for high in tiers
        }
        self._max_drivers, self._max_length = model.summary["max_drivers"], model.summary["max_length"]
        self._driver_lines: dict[
            tuple[str, str, str], tuple[str, ...]
        ] = {  # the usual summary, as the text before and after its drivers
            (outcome, risk, highest): tuple(
                model.summary["low_drivers" if risk == self._lowest_tier else "drivers"]
                .format(risk=self._risk_texts[risk, highest], outcome=name, drivers="\0")
                .split("\0")
            )
            for outcome, name in model.outcomes.items()
            for risk in tiers
            for highest in tiers
        }

    def entries(self, scored: Scored) -> list[Entry]:
        """Return the entry templates of a scored factor, one per outcome: a response copies one
        and sets the patient's value (and, when a refinement decided it, its basis and name)."""
        key = (scored.level, tuple(m for m, _, _ in scored.markers)) if scored.markers else scored.level
        cached = self._entries.get(key)
        if cached is None:
            cached = self._entries[key] = [self._build(scored, outcome) for outcome in self._names]
        return cached

    def _build(self, scored: Scored, outcome: str) -> Entry:
        factor, effect = scored.factor, scored.level.effects[outcome]
        entry: dict[str, Any] = {"factor": factor.id, "label": factor.label, "value": None}
        entry["category"] = effect.label
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
            entry["evidence"] = [self._evidence[row] for row in evidence]
        return entry, frozenset(e.reference for e in evidence), effect.points

    def decided(self, scored: Scored, outcome: str) -> tuple[str | None, str | None]:
        """Return (name, basis) when refinements decided this outcome's level: the first deciding
        bone marker names the factor, e.g. "low bone density (DXA T-score −2.8)"."""
        if not scored.markers:
            return None, scored.basis
        found = deciding(scored, outcome)
        if not found:
            return None, None
        first, value = found[0]
        bases = [marker.basis.format(value=measured(v)) for marker, v in found if marker.basis]
        return first.names.format(value=measured(value)), "; ".join(bases) or None

    def linkage(self, known: Score) -> Entry:
        """Return the entry for the extra point the non-union tier carries over."""
        rule = self.model.linkage
        via = tuple(
            s.factor.label
            for s in known.scored.values()
            if s.factor.id in rule.via_factors and s.level.effects[rule.source].points
        )
        cached = self._links.get(via)
        if cached is None:
            explanation = rule.explanation
            if via:
                note = rule.via_note.format(factors=join(list(via)))
                explanation = f"{explanation} {note[0].upper()}{note[1:]}"
            entry = {
                "factor": rule.id,
                "label": rule.label,
                "value": rule.when_tier,
                "category": rule.label,
                "points": rule.points,
                "modifiable": False,
                "explanation": explanation,
                "evidence": [self._evidence[row] for row in rule.evidence],
            }
            cached = self._links[via] = (entry, frozenset(e.reference for e in rule.evidence), rule.points)
        return cached

    def summary(
        self, outcome: str, risk: str, highest: str, contributing: list[dict[str, Any]], unknown: list[str]
    ) -> str:
        """Return the one-line summary of an outcome: the tier or range (`risk` to `highest`), what
        counted, unknowns. A low tier, or a range spanning tiers, names what was counted; it never
        says "driven mainly by"."""
        drivers = [entry["label"] for entry in contributing[: self._max_drivers]]
        if drivers and not unknown:  # the usual case: one line, short enough unless the labels are long
            before, after = self._driver_lines[outcome, risk, highest]
            line = before + join(drivers) + after
            if len(line) < self._max_length:
                return line
        texts, name = self.model.summary, self._names[outcome]
        risk_text = self._risk_texts[risk, highest]
        low = "low_drivers" if risk == self._lowest_tier or risk != highest else "drivers"
        unknowns = [join(unknown), texts["unknown_count"].format(count=len(unknown))] if unknown else [""]
        line = ""
        for unknown_text in unknowns:  # name the unknowns, else count them
            for count in range(len(drivers), 0, -1):  # then fewer drivers
                template: str = texts[f"unknown_{low}" if unknown else low]
                line = template.format(
                    risk=risk_text, outcome=name, drivers=join(drivers[:count]), unknown=unknown_text
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

    def reference(self, ref: str) -> dict[str, Any]:
        """Return a reference as cited in a response."""
        return self._references[ref]


def measured(value: Any) -> str:
    """A measurement as shown to a reader: "-2.8" as "−2.8"."""
    return f"{value:g}".replace("-", MINUS) if isinstance(value, (int, float)) and value is not True else ""


def _evidence(row: Evidence) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "effect": row.effect,
        "certainty": row.certainty,
        "outcome_measured": row.outcome_measured,
        "design": row.design,
        "population": row.population,
        "extrapolated": row.extrapolated,
        "outcome_source": row.outcome_source,
    }


def _unknown_entry(factor: Factor) -> dict[str, Any]:
    worst = factor.levels[factor.unknown["highest"]].label
    return {
        "factor": factor.id,
        "label": factor.params.get("unknown_label", factor.label),
        "worst_case": worst,
    }


def _reference(row: Mapping[str, Any]) -> dict[str, Any]:
    """A reference as a response cites it: its id, a citation line, and its identifiers."""
    found = {"id": row["id"], "citation": citation(row)}
    found.update({key: str(row[key]) for key in ("pmid", "pmc", "doi", "url") if row.get(key)})
    return found


def join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
