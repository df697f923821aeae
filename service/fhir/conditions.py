"""Conditions: diagnoses the model reads (diabetes, osteoporosis, osteopenia, vitamin D, obesity)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .elements import codings
from .reader import Reader


def read_conditions(reader: Reader) -> dict[str, bool]:
    """Return True for each diagnosis an active, unrefuted Condition about the patient records."""
    found: dict[str, bool] = {}
    for index, resource in reader.resources("Condition"):
        codes = codings(resource.get("code"))
        names = [name for name, concept in reader.terms.conditions.items() if concept.matches(codes)]
        if not names or not _active(reader, index, resource):
            continue
        for name in names:
            found[name] = True
            reader.use(name, index)
    return found


def _active(reader: Reader, index: int, resource: Mapping[str, Any]) -> bool:
    clinical = {code for _, code in codings(resource.get("clinicalStatus"))}
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & reader.terms.condition_ignored:
        reader.ignore(index, f"condition {', '.join(sorted(verification))[:80]}; ignored", "information")
        return False
    if clinical and not clinical & reader.terms.condition_statuses:
        reader.ignore(index, f"condition {', '.join(sorted(clinical))[:80]}; ignored", "information")
        return False
    return reader.about_patient(index, resource)
