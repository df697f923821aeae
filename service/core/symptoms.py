"""Review reported symptoms against warning signs: an urgency, never a change in risk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .model import Model


class SymptomReview:
    """The symptom catalogue of one model, with its response objects prebuilt."""

    def __init__(self, model: Model) -> None:
        self.rank = {urgency: i for i, urgency in enumerate(model.urgencies)}  # most urgent first
        self.calmest = next(reversed(model.urgencies))
        self.advice = model.urgencies
        self.findings = {
            code: {"code": code, "label": s.label, "urgency": s.urgency, "meaning": s.meaning}
            for code, s in model.symptoms.items()
        }

    def __call__(self, codes: Sequence[str] | None) -> dict[str, Any] | None:
        """Return the review of reported symptom codes, most urgent first; None when none were sent."""
        if codes is None:
            return None
        findings = sorted((self.findings[c] for c in dict.fromkeys(codes)), key=self._urgency_rank)
        urgency = findings[0]["urgency"] if findings else self.calmest
        return {"urgency": urgency, "advice": self.advice[urgency], "findings": findings}

    def _urgency_rank(self, finding: dict[str, Any]) -> int:
        return self.rank[finding["urgency"]]
