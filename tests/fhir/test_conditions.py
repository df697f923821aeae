"""Conditions: active, unrefuted diagnoses; a fragility fracture only when recent and dated."""

from __future__ import annotations

import pytest

from tests.helpers.fhir import ICD10CM, SNOMED, coded, ignored, read_fhir, resource

ACTIVE = coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")
REFUTED = coded("http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted")


def condition(system, code, **fields):
    return resource("Condition", coded(system, code), **{"clinicalStatus": ACTIVE, **fields})


@pytest.mark.parametrize(
    ("record", "name"),
    [
        (condition(SNOMED, "44054006"), "diabetes"),
        (condition(ICD10CM, "E11.65"), "diabetes"),  # ICD-10-CM matches by prefix
        (condition(SNOMED, "64859006"), "osteoporosis"),
        (condition(ICD10CM, "E55.9"), "vitamin_d_deficiency"),
        (condition(ICD10CM, "F17.290"), "other_nicotine"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_diagnosis_is_read(record, name):
    assert read_fhir(record).patient[name] is True


def test_a_refuted_or_resolved_diagnosis_is_not_read_and_is_reported():
    refuted = condition(SNOMED, "44054006", verificationStatus=REFUTED)
    resolved = condition(SNOMED, "44054006", clinicalStatus=coded(ACTIVE["coding"][0]["system"], "resolved"))
    for record in (refuted, resolved):
        extraction = read_fhir(record)
        assert extraction.patient["diabetes"] is None and ignored(extraction)


@pytest.mark.parametrize(
    ("fields", "counted"),
    [
        ({"onsetDateTime": "2025-02-01"}, True),
        ({"recordedDate": "2024-06-01"}, True),
        ({"onsetPeriod": {"start": "2024-01-10"}}, True),
        ({"onsetDateTime": "2021-01-01"}, False),  # more than three years before
        ({}, False),  # undated
    ],
    ids=["onset last year", "recorded 2024", "onset period", "five years ago", "undated"],
)
def test_a_fragility_fracture_counts_only_within_three_years(fields, counted):
    extraction = read_fhir(condition(SNOMED, "443165006", **fields))
    assert extraction.patient.get("fragility_fracture", False) is counted
    assert counted or any("fragility_fracture" in text for text in ignored(extraction))


def test_osteoporosis_with_a_current_fracture_is_both():
    patient = read_fhir(condition(ICD10CM, "M80.08XA", onsetDateTime="2026-05-01")).patient
    assert patient["osteoporosis"] is True and patient["fragility_fracture"] is True
