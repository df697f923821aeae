"""FHIR fixtures and builders: the fixture bundles with what each should read as, codings and
resources, and the HL7 R4 validators."""

from __future__ import annotations

import gzip
import importlib
import json
from datetime import date
from functools import cache
from pathlib import Path

from jsonschema import Draft6Validator
from pydantic import ValidationError as ModelValidationError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fhir"

FHIR_JSON = "application/fhir+json"

ON = date(2026, 11, 21)

EXPECTED = {
    "complete": {
        "age": 68,
        "sex": "female",  # Patient.gender
        "smoking": "current",
        "osteoporosis": None,  # no osteoporosis Condition: unknown, even with a low T-score
        "diabetes": True,
        "levels_fused": 3,  # L3-S1
        "obesity": None,
        "bmi": 32.4,
        "t_score": -2.7,  # the lowest of the latest scan day
        "hba1c": 8.4,
        "vitamin_d_deficiency": True,
        "steroid_use": True,  # predniSONE 5 MG Oral Tablet, matched by name
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
    },
    "messy": {
        "age": None,  # no birthDate
        "sex": "female",  # Patient.gender
        "smoking": "former",  # the latest usable; the newer one was entered in error
        "osteoporosis": None,  # the osteoporosis Condition is refuted
        "diabetes": True,  # ICD-10-CM E11.9
        "levels_fused": 1,  # C5-C6
        "obesity": None,
        "bmi": 27.5,  # newer ones: wrong unit, entered in error, another patient's
        "hba1c": 8.5,  # 69 mmol/mol
        "region": "cervical",
        "fusion_to_sacrum_or_pelvis": False,
        "days_since_surgery": 11,  # the C5-C6 fusion performed on 2026-11-10
    },
    "sparse": {
        "age": 77,  # born "1949": the earliest day, the older age
        "sex": "female",  # Patient.gender
        "smoking": None,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
    },
    "healthy": {
        "age": 40,
        "sex": "female",  # Patient.gender
        "smoking": "never",
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": 1,
        "obesity": None,
        "height_cm": 177.8,  # 70 in
        "weight_kg": 74.8,  # 165 lb
        "t_score": -0.4,
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
        "approach": "posterior",  # CPT 22630
    },
    # An EHR export (US Core shapes, absolute references, a searchset with includes and resources
    # the model does not read).
    "ehr-export": {
        "age": 69,
        "sex": "male",  # Patient.gender
        "smoking": "former",
        "months_since_quit": 4,  # quit 2026-07-01, a component of the smoking status
        "osteoporosis": None,
        "diabetes": True,  # E11.9 with SNOMED 44054006
        "levels_fused": 4,  # the planned revision, L2-S1
        "obesity": None,
        "height_cm": 177.8,  # 70 in
        "weight_kg": 107.0,  # 236 lb
        "hba1c": 7.1,  # the latest of two
        "t_score": -2.1,
        "fragility_fracture": True,  # healed (resolved) in 2025: still a recent fragility fracture
        "prior_spine_surgery": True,  # the L4-L5 fusion of 2019, before the planned one
        "region": "lumbar",
        "fusion_to_sacrum_or_pelvis": True,
        # no approach: the planned revision is coded SNOMED CT only (CPT 22612 is the 2019 fusion's)
        # no steroid_use: a knee injection and a 6-day dose pack never count
    },
    # The first page of a search: what it holds is read; the rest is unknown, and reported.
    "ehr-page-1": {
        "age": 69,
        "sex": "male",  # Patient.gender
        "smoking": "former",
        "months_since_quit": 4,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
        "height_cm": 177.8,
        "weight_kg": 107.0,
        "hba1c": 7.1,
        "t_score": -2.1,
    },
    # Nothing but a Patient, without an id: referenced by its fullUrl.
    "patient-only": {
        "age": 55,
        "sex": "female",  # Patient.gender
        "smoking": None,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
    },
}


SNOMED, LOINC, ICD10CM, CPT, RXNORM, UCUM = (
    "http://snomed.info/sct",
    "http://loinc.org",
    "http://hl7.org/fhir/sid/icd-10-cm",
    "http://www.ama-assn.org/go/cpt",
    "http://www.nlm.nih.gov/research/umls/rxnorm",
    "http://unitsofmeasure.org",
)


def coded(system: str, code: str, **more) -> dict:
    """A CodeableConcept of one coding (`more`: text, display)."""
    text = more.pop("text", None)
    concept: dict = {"coding": [{"system": system, "code": code, **more}]}
    return {**concept, "text": text} if text else concept


def resource(kind: str, code: dict | None = None, **fields) -> dict:
    """A resource about the sparse fixture's patient (pat-sparse)."""
    found = {"resourceType": kind, "subject": {"reference": "Patient/pat-sparse"}, **fields}
    return {**found, "code": code} if code else found


def read_fhir(*resources: dict, on: date | None = None, terms=None):
    """Extract the sparse fixture's Patient (born 1949) with these resources; return the Extraction."""
    from service.core import default_model
    from service.fhir import extract, load_terminology

    body = bundle("sparse")
    body["entry"] += [{"resource": r} for r in resources]
    return extract(body, terms or load_terminology(), default_model(), on or ON)


def ignored(extraction) -> list[str]:
    """The reasons the reading gave for what it left out."""
    return [issue["diagnostics"] for issue in extraction.issues]


R4_SCHEMA = FIXTURES.parent / "fhir-r4-schema" / "fhir.schema.json.gz"


@cache
def _r4_definitions() -> dict:
    return json.loads(gzip.decompress(R4_SCHEMA.read_bytes()))["definitions"]


def fhir_r4_problems(resource: dict) -> list[str]:
    """What two validators find wrong with a resource (and with each resource of a Bundle): the
    official HL7 R4 JSON schema, and the fhir.resources models. An empty list: valid R4."""
    kind = resource.get("resourceType", "")
    schema = {"$ref": f"#/definitions/{kind}", "definitions": _r4_definitions()}
    found = [
        f"schema {list(e.absolute_path)}: {e.message}" for e in Draft6Validator(schema).iter_errors(resource)
    ]
    model = getattr(importlib.import_module(f"fhir.resources.R4B.{kind.lower()}"), kind)
    try:
        model.model_validate(resource)
    except ModelValidationError as error:
        found.append(f"fhir.resources: {error}")
    for entry in resource.get("entry", ()) if kind == "Bundle" else ():
        found += fhir_r4_problems(entry["resource"])
    return found


def read_open(client, path):
    """GET a FHIR conformance resource without a key (the test client sends one unless told not to)."""
    response = client.get(path, headers={"Authorization": ""})
    assert response.status_code == 200 and response.mimetype == FHIR_JSON, path
    return response.get_json()


def bundle(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _first(body, kind):
    return next(e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == kind)


def mutate(path, value):
    """Set a (possibly new) element on the first resource of a type in the complete fixture."""

    def change(body):
        kind, *keys = path.split(".")
        target = _first(body, kind)
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
        return body

    return change


# Values the published schema allows where the reader expected something else (each was a 500).
ODD_BUT_VALID = {
    "overflowing date": mutate("Observation.effectiveDateTime", "0001-01-01T00:00:00+01:00"),
    "far future date": mutate("Observation.effectiveDateTime", "9999-12-31T23:59:59-14:00"),
    "unit as a list": mutate("Observation.valueQuantity.unit", []),
    "reference as a list": mutate("Observation.subject.reference", []),
    "subject as a number": mutate("Condition.subject", 7),
    "medication reference as a number": mutate("MedicationStatement.medicationReference", 7),
    "dosage as a number": mutate("MedicationStatement.dosage", 7),
    "route as a string": mutate("MedicationStatement.dosage", [{"route": "oral"}]),
    "code as a number": mutate("Condition.code", {"coding": [{"system": 5, "code": 44054006}]}),
    "status as a number": mutate("ServiceRequest.status", 1),
    "body site as a string": mutate("ServiceRequest.bodySite", "L4-S1"),
    "period as a list": mutate("ServiceRequest.performedPeriod", []),
}


def resources(name):
    return [e["resource"] for e in bundle(name)["entry"]]
