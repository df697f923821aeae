"""Review reported symptoms against warning signs: an urgency, never a change in risk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .table import Model


class SymptomReview:
    """The symptom catalogue of one model, with its response objects prebuilt per phase."""

    def __init__(self, model: Model) -> None:
        self.rank = {urgency: i for i, urgency in enumerate(model.urgencies)}  # most urgent first
        self.calmest = list(model.urgencies)[-1]
        self.advice = model.urgencies
        self.phases = model.phases
        self.notes = model.phase_notes
        self.findings = {  # (code, phase or None) -> finding
            (code, phase): {
                "code": code,
                "label": s.label,
                "urgency": s.by_phase.get(phase, s.urgency) if phase else s.urgency,
                "sign": s.sign,
                "meaning": s.meaning,
            }
            for code, s in model.symptoms.items()
            for phase in (None, *(p for p, _ in model.phases))
        }

    def __call__(self, codes: Sequence[str] | None, days: int | None = None) -> dict[str, Any] | None:
        """Return the review of reported symptom codes, most urgent first; None when none were sent."""
        if codes is None:
            return None
        phase = None if days is None else self.phase(days)
        findings = sorted((self.findings[c, phase] for c in dict.fromkeys(codes)), key=self._urgency_rank)
        urgency = findings[0]["urgency"] if findings else self.calmest
        review: dict[str, Any] = {"urgency": urgency, "advice": self.advice[urgency], "findings": findings}
        if phase is not None:
            review["phase"] = phase
        signs = {finding["sign"] for finding in findings}
        notes = [n["note"] for n in self.notes if phase in n["phases"] and n["sign"] in signs]
        if notes:
            review["note"] = " ".join(notes)
        return review

    def phase(self, days: int) -> str:
        """Return the phase a number of days since surgery falls in."""
        return next(phase for phase, below in self.phases if below is None or days < below)

    def _urgency_rank(self, finding: dict[str, Any]) -> int:
        return self.rank[finding["urgency"]]
