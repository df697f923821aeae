"""Medications: long-term systemic corticosteroids from MedicationStatements and MedicationRequests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .elements import codings, concept_text, day, number, obj, objs, reference, string
from .reader import Reader

DAYS_PER_UNIT = {
    "d": 1,
    "day": 1,
    "days": 1,
    "wk": 7,
    "week": 7,
    "weeks": 7,
    "mo": 30,
    "month": 30,
    "months": 30,
}


def read_steroids(reader: Reader, on: date) -> dict[str, bool]:
    """Return {"steroid_use": True} when long-term systemic corticosteroid use is recorded (here, or
    by a long-term-use Condition read before); every steroid left out is reported with the reason."""
    table = reader.terms.table["steroids"]
    for index, resource in reader.resources("MedicationStatement", "MedicationRequest"):
        if not _is_steroid(reader, resource):
            continue
        status = string(resource.get("status"))
        if status not in table["statuses"]:
            reader.ignore(index, f"corticosteroid with status {str(status)[:40]!r}; ignored", "information")
            continue
        if not _systemic(reader, resource):
            reader.ignore(index, "corticosteroid by a non-systemic route; ignored", "information")
            continue
        days, long_term = _days_of_use(resource, on), table["long_term_days"]
        if days is None:
            why = f"corticosteroid of unknown duration: not counted as long-term ({long_term} days or more)"
            reader.ignore(index, why, "information")
        elif days < long_term:
            why = f"corticosteroid for {days} days: a short course, not long-term use; not counted"
            reader.ignore(index, why, "information")
        elif reader.about_patient(index, resource):
            reader.use("steroid_use", index)
    return {"steroid_use": True} if "steroid_use" in reader.sources else {}


def _is_steroid(reader: Reader, resource: Mapping[str, Any]) -> bool:
    medication = _medication(reader, resource)
    named = concept_text(medication)
    names = reader.terms.table["steroids"]["names"]
    return bool(set(codings(medication)) & reader.terms.steroid_codes) or any(n in named for n in names)


def _systemic(reader: Reader, resource: Mapping[str, Any]) -> bool:
    routes = [d.get("route") for d in _dosages(resource)]
    words = " ".join(concept_text(route) for route in routes)
    local = any(word in words for word in reader.terms.table["steroids"]["not_systemic_routes"])
    return not local and not any(set(codings(route)) & reader.terms.local_routes for route in routes)


def _days_of_use(resource: Mapping[str, Any], on: date) -> int | None:
    """Days of use the record shows: its period (to `on` while open), the supply dispensed, the
    dosage bounds, or, for a request still active, the days since it was written. None: unknown."""
    dispense = obj(resource.get("dispenseRequest"))
    supply = _duration_days(dispense.get("expectedSupplyDuration"))
    if supply is not None:
        fills = number(dispense.get("numberOfRepeatsAllowed")) or 0
        return round(supply * (1 + fills))
    periods = [resource.get("effectivePeriod"), dispense.get("validityPeriod")]
    for dosage in _dosages(resource):
        repeat = obj(obj(dosage.get("timing")).get("repeat"))
        bounded = _duration_days(repeat.get("boundsDuration"))
        if bounded is not None:
            return round(bounded)
        periods.append(repeat.get("boundsPeriod"))
    for period in map(obj, periods):
        start = day(period.get("start"))
        if start is not None:
            end = min(day(period.get("end")) or on, on)
            return (end - start).days
    written = day(resource.get("authoredOn"))
    return (on - written).days if written is not None and written <= on else None


def _duration_days(duration: Any) -> float | None:
    value, unit = (
        number(obj(duration).get("value")),
        string(obj(duration).get("code") or obj(duration).get("unit")),
    )
    factor = DAYS_PER_UNIT.get((unit or "").lower())
    return value * factor if value is not None and value >= 0 and factor else None


def _medication(reader: Reader, resource: Mapping[str, Any]) -> Any:
    if "medicationCodeableConcept" in resource:
        return resource["medicationCodeableConcept"]
    found = reader.find(reference(resource.get("medicationReference")), "Medication")
    return found.get("code") if found else None


def _dosages(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return objs(resource.get("dosage")) or objs(resource.get("dosageInstruction"))
