"""Observations: smoking status, BMI, height, weight, HbA1c and DXA T-scores (the latest usable)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .elements import codings, day, first_time, number, obj, objs, string
from .reader import Reader

_SKIP = object()


def read_observations(reader: Reader) -> dict[str, Any]:
    """Return each observed input's latest usable value (at equal times, the worse one)."""
    found: dict[str, list[tuple[tuple, Any, int]]] = defaultdict(list)
    concepts = reader.terms.observations
    for index, resource in reader.resources("Observation"):
        codes = set(codings(resource.get("code")))
        name = next((n for n, concept in concepts.items() if codes & concept.codes), None)
        if name is None:
            continue
        status = string(resource.get("status"))
        if status not in reader.terms.observation_statuses:
            reader.ignore(index, f"{name} observation with status {str(status)[:40]!r}; ignored")
            continue
        if not reader.about_patient(index, resource):
            continue
        value = _value(reader, index, name, resource)
        if value is not _SKIP:
            found[name].append((_sort_key(reader, name, resource, value), value, index))
    latest = {}
    for name, candidates in found.items():
        _, value, index = max(candidates, key=lambda candidate: candidate[0])
        latest[name] = value
        reader.use(name, index)
    return latest


def _value(reader: Reader, index: int, name: str, resource: Mapping[str, Any]) -> Any:
    concept = reader.terms.observations[name]
    if concept.answers:
        answers = [
            concept.answers[c] for c in codings(resource.get("valueCodeableConcept")) if c in concept.answers
        ]
        if not answers:
            reader.ignore(index, f"{name} answer not recognised; ignored")
            return _SKIP
        return answers[0]
    quantity = obj(resource.get("valueQuantity"))
    value = number(quantity.get("value"))
    if value is None:
        reader.ignore(index, f"{name} observation without a numeric valueQuantity; ignored")
        return _SKIP
    unit = string(quantity.get("code", quantity.get("unit", "")))
    conversion = None if unit is None else concept.units.get(unit)
    if conversion is None:
        reader.ignore(index, f"{name} in unit {str(unit)[:40]!r}, which is not supported; ignored")
        return _SKIP
    if isinstance(conversion, dict):
        return round(value * conversion["scale"] + conversion["offset"], 1)
    return round(value * conversion, 1)


def _sort_key(reader: Reader, name: str, resource: Mapping[str, Any], value: Any) -> tuple:
    """Latest first; a T-score's scan day as a whole; at equal times, the worse value."""
    when = first_time(resource, "effectiveDateTime", "effectiveInstant", "issued") or datetime.min
    if name == "t_score":
        when = datetime(when.year, when.month, when.day)
    return (when, reader.terms.severity(name, value))


def read_quit_date(reader: Reader, on: date) -> dict[str, int]:
    """Return `months_since_quit` from the latest tobacco quit date on or before `on`: an Observation
    of its own, or a component of the smoking-status Observation."""
    smoking = reader.terms.observations["smoking"].codes
    dates = []
    for index, resource in reader.resources("Observation"):
        codes = set(codings(resource.get("code")))
        if codes & reader.terms.quit_date:
            values = [resource.get("valueDateTime")]
        elif codes & smoking:
            values = [
                c.get("valueDateTime")
                for c in objs(resource.get("component"))
                if set(codings(c.get("code"))) & reader.terms.quit_date
            ]
        else:
            continue
        found = [d for d in map(day, values) if d is not None and d <= on]
        usable = string(resource.get("status")) in reader.terms.observation_statuses
        if found and usable and reader.about_patient(index, resource):
            dates.append((max(found), index))
    if not dates:
        return {}
    quit_on, index = max(dates)
    reader.use("months_since_quit", index)
    return {
        "months_since_quit": (on.year - quit_on.year) * 12 + on.month - quit_on.month - (on.day < quit_on.day)
    }
