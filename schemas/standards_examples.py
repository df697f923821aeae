"""Named request examples of the batch, FHIR and CDS Hooks operations: shown in Swagger UI, written
to examples/*.http by `make docs`, and replayed through the app by the tests. One small patient record
serves the FHIR Bundle and both CDS Hooks calls."""

from __future__ import annotations

from typing import Any

from .examples import ASSESSMENT_EXAMPLES

BATCH_PATIENTS = [ASSESSMENT_EXAMPLES[name]["value"] for name in ("low", "moderate", "high")]
BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "day-list": {
        "summary": "A day's list: three patients, each assessed in full",
        "value": {"patients": BATCH_PATIENTS},
    },
    # `x-query`: the query string this example is sent with (examples/*.http; Swagger UI ignores it).
    "day-list-summary": {
        "summary": "The same list, one summary line per patient (view=summary)",
        "value": {"patients": BATCH_PATIENTS},
        "x-query": {"view": "summary"},
    },
}

_SUBJECT = {"reference": "Patient/example-1"}
PATIENT = {"resourceType": "Patient", "id": "example-1", "birthDate": "1956-04-12", "gender": "female"}
SMOKING = {
    "resourceType": "Observation",
    "id": "smoking-1",
    "status": "final",
    "code": {
        "coding": [{"system": "http://loinc.org", "code": "72166-2", "display": "Tobacco smoking status"}]
    },
    "subject": _SUBJECT,
    "effectiveDateTime": "2026-10-01",
    "valueCodeableConcept": {
        "coding": [
            {"system": "http://snomed.info/sct", "code": "449868002", "display": "Smokes tobacco daily"}
        ]
    },
}
BMI = {
    "resourceType": "Observation",
    "id": "bmi-1",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5", "display": "Body mass index"}]},
    "subject": _SUBJECT,
    "effectiveDateTime": "2026-10-01",
    "valueQuantity": {"value": 31.4, "unit": "kg/m2", "system": "http://unitsofmeasure.org", "code": "kg/m2"},
}
DIABETES = {
    "resourceType": "Condition",
    "id": "diabetes-1",
    "clinicalStatus": {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
    },
    "code": {
        "coding": [{"system": "http://snomed.info/sct", "code": "44054006", "display": "Type 2 diabetes"}]
    },
    "subject": _SUBJECT,
}
FUSION = {
    "resourceType": "ServiceRequest",
    "id": "fusion-1",
    "status": "active",
    "intent": "order",
    "code": {
        "coding": [
            {
                "system": "http://www.ama-assn.org/go/cpt",
                "code": "22612",
                "display": "Arthrodesis, posterior or posterolateral technique, single level; lumbar",
            }
        ],
        "text": "Posterior lumbar fusion",
    },
    "bodySite": [{"text": "L4-S1"}],
    "subject": _SUBJECT,
    "authoredOn": "2026-11-02",
}


def _searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


FHIR_EXAMPLES: dict[str, dict[str, Any]] = {
    "small-record": {
        "summary": "A small record: a daily smoker with type 2 diabetes and a BMI of 31.4, a posterior "
        "L4-S1 fusion planned",
        "value": {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in (PATIENT, SMOKING, BMI, DIABETES, FUSION)],
        },
    }
}
_PREFETCH = {
    "patient": PATIENT,
    "observations": _searchset(SMOKING, BMI),
    "conditions": _searchset(DIABETES),
    "medicationStatements": _searchset(),
    "medicationRequests": _searchset(),
}
_CONTEXT = {"userId": "Practitioner/example", "patientId": PATIENT["id"]}
PATIENT_VIEW_EXAMPLES: dict[str, dict[str, Any]] = {
    "small-record": {
        "summary": "The small record's patient opened, a posterior L4-S1 fusion planned (prefetched)",
        "value": {
            "hook": "patient-view",
            "hookInstance": "0b9f6a1e-3c2d-4f5e-8a7b-6c5d4e3f2a10",
            "context": _CONTEXT,
            "prefetch": {**_PREFETCH, "serviceRequests": _searchset(FUSION), "procedures": _searchset()},
        },
    }
}
ORDER_SELECT_EXAMPLES: dict[str, dict[str, Any]] = {
    "fusion-ordered": {
        # The draft order as one resource, which the service takes beside a Bundle of them (CDS Hooks'
        # form: tests/fixtures/cds/order-select.json): with a Bundle here, schemathesis 4.32.5 fails to
        # generate this operation's cases now and then ("a `not` whose complement is not spelled out").
        "summary": "The small record's patient: a posterior L4-S1 fusion being ordered",
        "value": {
            "hook": "order-select",
            "hookInstance": "7d4c3b2a-1f0e-4d9c-8b7a-695847362514",
            "context": {
                **_CONTEXT,
                "selections": [f"ServiceRequest/{FUSION['id']}"],
                "draftOrders": {**FUSION, "status": "draft"},
            },
            "prefetch": _PREFETCH,
        },
    }
}
