"""Medications: systemic corticosteroids from MedicationStatements and MedicationRequests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .elements import codings, concept_text, objs, reference, string
from .reader import Reader


def read_steroids(reader: Reader) -> dict[str, bool]:
    """Return {"steroid_use": True} when an active systemic corticosteroid is recorded."""
    table = reader.terms.table["steroids"]
    for index, resource in reader.resources("MedicationStatement", "MedicationRequest"):
        medication = _medication(reader, resource)
        named = concept_text(medication)
        if not (
            set(codings(medication)) & reader.terms.steroid_codes or any(n in named for n in table["names"])
        ):
            continue
        routes = " ".join(concept_text(d.get("route")) for d in _dosages(resource))
        status = string(resource.get("status"))
        if status not in table["statuses"]:
            reader.ignore(index, f"corticosteroid with status {str(status)[:40]!r}; ignored", "information")
        elif any(word in routes for word in table["not_systemic_routes"]):
            reader.ignore(index, "corticosteroid by a non-systemic route; ignored", "information")
        elif reader.about_patient(index, resource):
            reader.use("steroid_use", index)
    return {"steroid_use": True} if "steroid_use" in reader.sources else {}


def _medication(reader: Reader, resource: Mapping[str, Any]) -> Any:
    if "medicationCodeableConcept" in resource:
        return resource["medicationCodeableConcept"]
    found = reader.find(reference(resource.get("medicationReference")), "Medication")
    return found.get("code") if found else None


def _dosages(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return objs(resource.get("dosage")) or objs(resource.get("dosageInstruction"))
