"""Model 1.2's worked examples written as FHIR records: a Bundle stating what FHIR can say of each
patient, coded from the mapping table itself (its first code for each thing), and what that Bundle
must read back as."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from service.fhir import load_terminology
from service.fhir.anatomy import VERTEBRAE
from tests.helpers.fhir import ON

TABLE = load_terminology().table
SYSTEMS = TABLE["systems"]
CORE = ("age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity")
MEASURED = {"bmi": "kg/m2", "hba1c": "%", "t_score": "{T-score}"}  # units the mapping reads
END = {"cervical": "c6", "thoracic": "t12", "lumbar": "l5", "thoracolumbar": "l2"}  # without the sacrum
# What no FHIR record here states: an absent Condition is unknown, never "no"; the rods are not coded.
UNSAID = ("rods_across_osteotomy",)


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": SYSTEMS[system], "code": code}]}


def _first(by_system: dict[str, list[str]]) -> dict[str, Any]:
    system, codes = next(iter(by_system.items()))
    return _coding(system, str(codes[0]))


def _observation(name: str, value: Any) -> dict[str, Any]:
    row = TABLE["observations"][name]
    found: dict[str, Any] = {"resourceType": "Observation", "status": "final", "code": _first(row["codes"])}
    found["effectiveDateTime"] = (ON - timedelta(days=30)).isoformat()
    if name == "smoking":
        found["valueCodeableConcept"] = _first(row["answers"][value])
    else:
        found["valueQuantity"] = {"value": value, "system": SYSTEMS["ucum"], "code": MEASURED[name]}
    return found


def _condition(name: str) -> dict[str, Any]:
    row = TABLE["conditions"][name]
    return {"resourceType": "Condition", "code": _coding("snomed", row["snomed"][0])}


def _span(patient: dict[str, Any]) -> str:
    end = "s1" if patient.get("fusion_to_sacrum_or_pelvis") else END[patient["region"]]
    start = VERTEBRAE[VERTEBRAE.index(end) - patient["levels_fused"]]
    return f"{start.upper()}-{end.upper()}"


def _surgery(code: dict[str, Any], text: str, days_ago: int | None) -> dict[str, Any]:
    """A planned ServiceRequest, or a completed Procedure performed `days_ago`."""
    if days_ago is None:
        found = {"resourceType": "ServiceRequest", "status": "active", "intent": "order"}
        return {**found, "code": {**code, "text": text}, "authoredOn": ON.isoformat()}
    performed = (ON - timedelta(days=days_ago)).isoformat()
    found = {"resourceType": "Procedure", "status": "completed", "performedDateTime": performed}
    return {**found, "code": {**code, "text": text}}


def _fusion_code(approach: str | None) -> dict[str, Any]:
    approaches = TABLE["fusion"]["approaches"]
    named = [approach] if approach in approaches else list(approaches) if approach else []
    if not named:
        return _coding("snomed", TABLE["fusion"]["snomed"][0])
    return {"coding": [_first(approaches[name])["coding"][0] for name in named]}


def worked_bundle(patient: dict[str, Any]) -> dict[str, Any]:
    """Return a Bundle stating what FHIR can say of a worked example's patient."""
    days = patient.get("days_since_surgery")
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": "worked", "birthDate": f"{ON.year - patient['age']}-01-01"}
    ]
    if patient.get("sex"):
        resources[0]["gender"] = patient["sex"]
    resources += [_observation(name, patient[name]) for name in ("smoking", *MEASURED) if name in patient]
    resources += [_condition(name) for name in ("osteoporosis", "diabetes", "obesity") if patient[name]]
    resources.append(_surgery(_fusion_code(patient.get("approach")), f"Spinal fusion {_span(patient)}", days))
    if patient.get("three_column_osteotomy"):
        osteotomy = _coding("cpt", TABLE["history"]["osteotomy_cpt"][0])
        resources.append(_surgery(osteotomy, "Pedicle subtraction osteotomy", days))
    if patient.get("prior_spine_surgery"):
        resources.append(_surgery(_fusion_code(None), "Spinal fusion L4-L5", (ON - ON.replace(2019)).days))
    for found in resources[1:]:
        found["subject"] = {"reference": "Patient/worked"}
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def read_back(patient: dict[str, Any]) -> dict[str, Any]:
    """Return what `worked_bundle(patient)` must read as: a core "no" unknown, a refinement's "no" and
    what FHIR does not say left out, and the fusion's end (not at the sacrum) said."""
    found = {name: (None if patient[name] is False else patient[name]) for name in CORE}
    found |= {k: v for k, v in patient.items() if k not in (*CORE, *UNSAID) and v is not False}
    return {**found, "fusion_to_sacrum_or_pelvis": bool(patient.get("fusion_to_sacrum_or_pelvis"))}
