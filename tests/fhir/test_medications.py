"""Steroids: only long-term systemic use counts; short courses, injections and unknown durations
are reported, never counted."""

from __future__ import annotations

import pytest

from tests.helpers.fhir import RXNORM, SNOMED, coded, ignored, read_fhir, resource

PREDNISONE = coded(RXNORM, "8640", display="prednisone")
ORAL = [{"route": coded(SNOMED, "26643006", display="Oral route")}]


def statement(**fields):
    return resource(
        "MedicationStatement", **{"status": "active", "medicationCodeableConcept": PREDNISONE, **fields}
    )


def request(**fields):
    defaults = {"status": "active", "intent": "order", "medicationCodeableConcept": PREDNISONE}
    return resource("MedicationRequest", **{**defaults, **fields})


LONG_TERM = {
    "open period since last year": statement(effectivePeriod={"start": "2025-09-01"}, dosage=ORAL),
    "closed period of 120 days": statement(effectivePeriod={"start": "2026-06-01", "end": "2026-09-29"}),
    "supply of 30 days, 3 repeats": request(
        dispenseRequest={"expectedSupplyDuration": {"value": 30, "code": "d"}, "numberOfRepeatsAllowed": 3}
    ),
    "dosage bounded at 16 weeks": request(
        dosageInstruction=[{"timing": {"repeat": {"boundsDuration": {"value": 16, "unit": "wk"}}}}]
    ),
    "request still active after 200 days": request(authoredOn="2026-05-05"),
}
NOT_COUNTED = {
    "perioperative course of 5 days": (
        statement(effectivePeriod={"start": "2026-11-10", "end": "2026-11-15"}),
        "corticosteroid for 5 days: a short course",
    ),
    "supply of 14 days": (
        request(dispenseRequest={"expectedSupplyDuration": {"value": 14, "code": "d"}}),
        "corticosteroid for 14 days",
    ),
    "epidural injection": (
        statement(effectivePeriod={"start": "2025-01-01"}, dosage=[{"route": {"text": "Epidural"}}]),
        "non-systemic route",
    ),
    "joint injection by route code": (
        statement(effectivePeriod={"start": "2025-01-01"}, dosage=[{"route": coded(SNOMED, "12130007")}]),
        "non-systemic route",
    ),
    "inhaled": (
        statement(effectivePeriod={"start": "2025-01-01"}, dosage=[{"route": {"text": "Inhalation"}}]),
        "non-systemic route",
    ),
    "unknown duration": (statement(), "corticosteroid of unknown duration"),
    "stopped": (
        statement(status="completed", effectivePeriod={"start": "2024-01-01", "end": "2025-01-01"}),
        "status 'completed'",
    ),
}


@pytest.mark.parametrize("record", LONG_TERM.values(), ids=list(LONG_TERM))
def test_long_term_systemic_use_counts(record):
    assert read_fhir(record).patient.get("steroid_use") is True


@pytest.mark.parametrize(("record", "why"), NOT_COUNTED.values(), ids=list(NOT_COUNTED))
def test_other_use_is_reported_not_counted(record, why):
    extraction = read_fhir(record)
    assert "steroid_use" not in extraction.patient
    assert any(why in text for text in ignored(extraction)), ignored(extraction)


def test_a_long_term_use_condition_counts():
    condition = resource("Condition", coded("http://hl7.org/fhir/sid/icd-10-cm", "Z79.52"))
    assert read_fhir(condition).patient.get("steroid_use") is True
    inhaled = resource("Condition", coded("http://hl7.org/fhir/sid/icd-10-cm", "Z79.51"))
    assert "steroid_use" not in read_fhir(inhaled).patient


def test_a_medication_reference_is_followed():
    medication = {"resourceType": "Medication", "id": "m1", "code": PREDNISONE}
    record = resource(
        "MedicationStatement",
        status="active",
        medicationReference={"reference": "Medication/m1"},
        effectivePeriod={"start": "2025-01-01"},
    )
    assert read_fhir(medication, record).patient.get("steroid_use") is True
