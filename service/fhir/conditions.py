"""Conditions: diagnoses the model reads (diabetes, osteoporosis, osteopenia, vitamin D, obesity)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .elements import codings, first_time, obj
from .reader import Reader


def read_conditions(reader: Reader, on: date) -> dict[str, bool]:
    """Return True for each diagnosis an active, unrefuted Condition about the patient records
    (recent enough, for a diagnosis that counts only when recent)."""
    found: dict[str, bool] = {}
    for index, resource in reader.resources("Condition"):
        codes = codings(resource.get("code"))
        names = [name for name, concept in reader.terms.conditions.items() if concept.matches(codes)]
        if not names or not _active(reader, index, resource, history=_dated(reader, names)):
            continue
        for name in names:
            if _recent(reader, index, resource, name, on):
                found[name] = True
                reader.use(name, index)
    return found


def _recent(reader: Reader, index: int, resource: Mapping[str, Any], name: str, on: date) -> bool:
    within = reader.terms.conditions[name].within_days
    if within is None:
        return True
    when = first_time(resource, "onsetDateTime", "recordedDate") or first_time(
        obj(resource.get("onsetPeriod")), "start"
    )
    if when is None:
        reader.ignore(index, f"{name} without an onset or recorded date: not counted", "information")
        return False
    if not 0 <= (on - when.date()).days <= within:
        reader.ignore(
            index, f"{name} more than {within} days before the assessment: not counted", "information"
        )
        return False
    return True


def _dated(reader: Reader, names: list[str]) -> bool:
    """A diagnosis counted by its date (a fracture in the last years) is history: healed still counts."""
    return all(reader.terms.conditions[name].within_days is not None for name in names)


def _active(reader: Reader, index: int, resource: Mapping[str, Any], history: bool = False) -> bool:
    clinical = {code for _, code in codings(resource.get("clinicalStatus"))}
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & reader.terms.condition_ignored:
        reader.ignore(index, f"condition {', '.join(sorted(verification))[:80]}; ignored", "information")
        return False
    if clinical and not clinical & reader.terms.condition_statuses and not history:
        reader.ignore(index, f"condition {', '.join(sorted(clinical))[:80]}; ignored", "information")
        return False
    return reader.about_patient(index, resource)
