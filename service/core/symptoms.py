"""Review reported symptoms against warning signs: an urgency, never a change in risk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from .publish import flat
from .table import Alias, Combination, Model, Symptom

INPUTS = ("symptoms", "days_since_surgery")  # the request fields the review reads
REPORTED, NONE_REPORTED = "reported", "none_reported"  # asked, with findings or with none
DEPRECATED = "deprecated_symptom_code"  # the warning an earlier version's code gets


def catalogue(review: Mapping[str, Any]) -> dict[str, Any]:
    """Return the Model's symptom fields from the published table's `symptom_review` (its texts
    filled with the fever thresholds); anything missing is left for the load checks to name."""
    symptoms = {row["code"]: _symptom(row) for row in review["symptoms"]}
    return {
        "urgencies": MappingProxyType({u["id"]: flat(u.get("advice") or "") for u in review["urgencies"]}),
        "symptoms": MappingProxyType(symptoms),
        "aliases": MappingProxyType({row["code"]: _alias(row) for row in review.get("aliases", ())}),
        "combinations": tuple(_combination(row, symptoms) for row in review.get("combinations", ())),
        "phases": tuple((p["id"], p.get("below")) for p in review["phases"]),
        "unknown_phase": review["unknown_phase"],
        "phase_notes": tuple({**n, "note": flat(n["note"])} for n in review.get("phase_notes", ())),
    }


def _symptom(row: Mapping[str, Any]) -> Symptom:
    return Symptom(
        code=row["code"],
        urgency=row.get("urgency") or "",
        by_phase=MappingProxyType(dict(row.get("urgency_by_phase") or {})),
        sign=row.get("sign") or "",
        label=row.get("label") or "",
        patient_label=row.get("patient_label") or "",
        meaning=row.get("meaning") or "",
        regions=tuple(row.get("regions", ())),
    )


def _alias(row: Mapping[str, Any]) -> Alias:
    return Alias(row["code"], row["now"], str(row["until"]), MappingProxyType(dict(row["was"])))


def _combination(row: Mapping[str, Any], symptoms: Mapping[str, Symptom]) -> Combination:
    parts = tuple(
        frozenset(part["codes"])
        if "codes" in part
        else frozenset(c for c, s in symptoms.items() if s.sign == part["sign"])
        for part in row["all_of"]
    )
    return Combination(row["id"], parts, frozenset(row["phases"]), row["at_least"], flat(row["note"]))


class SymptomReview:
    """The symptom catalogue of one model, with its response objects prebuilt per phase."""

    def __init__(self, model: Model) -> None:
        self.rank = {urgency: i for i, urgency in enumerate(model.urgencies)}  # most urgent first
        self.calmest = list(model.urgencies)[-1]
        self.advice = model.urgencies
        self.phases = model.phases
        self.unknown = model.unknown_phase
        self.notes = model.phase_notes
        self.aliases = {code: alias.now for code, alias in model.aliases.items()}
        self.combinations = [
            (c, {"id": c.id, "urgency": c.at_least, "note": c.note}) for c in model.combinations
        ]
        self.findings = {  # (code, phase or None) -> finding; without a phase, the most urgent level
            (code, phase): {
                "code": code,
                "label": s.label,
                "patient_label": s.patient_label,
                "urgency": s.by_phase[phase] if phase else s.urgency,
                "sign": s.sign,
                "meaning": s.meaning,
            }
            for code, s in model.symptoms.items()
            for phase in (None, *(p for p, _ in model.phases))
        }
        message = model.warnings.get(DEPRECATED, "")
        self.deprecations = {
            code: {
                "code": DEPRECATED,
                "message": message.format(alias=code, code=a.now, until=a.until),
                "fields": [INPUTS[0]],
            }
            for code, a in model.aliases.items()
        }

    def of(self, patient: Mapping[str, Any]) -> dict[str, Any] | None:
        """Return the review of a patient's symptoms and days since surgery (None when not asked)."""
        codes, days = (patient.get(name) for name in INPUTS)
        return self(codes, days)

    def __call__(self, codes: Sequence[str] | None, days: int | None = None) -> dict[str, Any] | None:
        """Return the review of reported symptom codes, most urgent first; None when none were asked."""
        if codes is None:
            return None
        phase = None if days is None else self.phase(days)
        current = dict.fromkeys(self.aliases.get(code, code) for code in codes)
        findings = sorted((self.findings[c, phase] for c in current), key=self._urgency_rank)
        fired = [entry for c, entry in self.combinations if self._applies(c, current, phase)]
        levels = [finding["urgency"] for finding in findings] + [entry["urgency"] for entry in fired]
        urgency = min(levels, key=self.rank.__getitem__, default=self.calmest)
        review: dict[str, Any] = {
            "status": REPORTED if findings else NONE_REPORTED,
            "urgency": urgency,
            "advice": self.advice[urgency],
            "findings": findings,
            "combinations": fired,
        }
        if phase is not None:
            review["phase"] = phase
            signs = {finding["sign"] for finding in findings}
            notes = [n["note"] for n in self.notes if phase in n["phases"] and signs.intersection(n["signs"])]
            if notes:
                review["note"] = " ".join(notes)
        return review

    def warnings(self, codes: Iterable[str] | None) -> list[dict[str, Any]]:
        """Return a deprecated_symptom_code warning for each earlier version's code sent, once."""
        return [self.deprecations[code] for code in dict.fromkeys(codes or ()) if code in self.deprecations]

    def phase(self, days: int) -> str:
        """Return the phase a number of days since surgery falls in."""
        return next(phase for phase, below in self.phases if below is None or days < below)

    def _applies(self, combination: Combination, codes: Mapping[str, None], phase: str | None) -> bool:
        return (phase or self.unknown) in combination.phases and all(
            not part.isdisjoint(codes) for part in combination.parts
        )

    def _urgency_rank(self, finding: dict[str, Any]) -> int:
        return self.rank[finding["urgency"]]
