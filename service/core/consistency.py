"""Warnings for inputs the model can score but a clinician should double-check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Model


def input_warnings(model: Model, patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a warning for every input outside the evidence or inconsistent with another."""
    warnings = []
    age = patient.get("age")
    if age is not None and age < model.adult_age:
        warnings.append(_warning(model, "age_under_18", "age"))
    return warnings


def _warning(model: Model, code: str, *fields: str) -> dict[str, Any]:
    return {"code": code, "message": model.warnings[code], "fields": list(fields)}
