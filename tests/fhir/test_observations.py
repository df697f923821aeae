"""Observations: the latest usable value, units converted, the quit date, and CT bone density
only where a local code is configured."""

from __future__ import annotations

import pytest
import yaml

from service.fhir.terminology import MAPPING_PATH, load_terminology
from tests.helpers.fhir import LOINC, SNOMED, UCUM, coded, ignored, read_fhir, resource


def observation(code, when="2026-10-01", **value):
    return resource(
        "Observation", coded(LOINC, code), **{"status": "final", "effectiveDateTime": when, **value}
    )


def quantity(value, unit):
    return {"valueQuantity": {"value": value, "system": UCUM, "code": unit}}


def test_the_latest_value_wins_and_units_convert():
    older = observation("4548-4", "2026-01-01", **quantity(9.1, "%"))
    newer = observation("4548-4", "2026-10-01", **quantity(53, "mmol/mol"))  # IFCC -> NGSP 7.0 %
    assert read_fhir(older, newer).patient["hba1c"] == 7.0


def test_an_unsupported_unit_or_status_is_reported():
    extraction = read_fhir(
        observation("39156-5", **quantity(30, "lb/in2")), observation("4548-4", status="preliminary")
    )
    assert "bmi" not in extraction.patient and len(ignored(extraction)) == 2


FORMER = observation("72166-2", valueCodeableConcept=coded(SNOMED, "8517006"))


@pytest.mark.parametrize(
    ("records", "months"),
    [
        ([FORMER, observation("74010-0", valueDateTime="2026-08-15")], 3),
        ([{**FORMER, "component": [{"code": coded(LOINC, "74010-0"), "valueDateTime": "2025-11-21"}]}], 12),
        ([FORMER, observation("74010-0", valueDateTime="2027-01-01")], None),  # in the future: not read
    ],
    ids=["own observation", "component of the smoking status", "future date"],
)
def test_the_quit_date_gives_months_since_quit(records, months):
    patient = read_fhir(*records).patient
    assert patient["smoking"] == "former" and patient.get("months_since_quit") == months


def test_a_quit_date_with_a_current_smoker_is_dropped_and_reported(client):
    current = observation("72166-2", valueCodeableConcept=coded(SNOMED, "449868002"))
    extraction = read_fhir(current, observation("74010-0", valueDateTime="2026-08-15"))
    assert extraction.patient["months_since_quit"] == 3  # read; the loader then refuses it
    from service.fhir.bundles import _plausible
    from service.services import services

    with client.application.app_context():
        loaded = _plausible(extraction, services(client.application).loader)
    assert loaded["months_since_quit"] is None and "months_since_quit ignored" in " ".join(
        ignored(extraction)
    )


def test_ct_bone_density_needs_a_configured_code(tmp_path):
    table = yaml.safe_load(MAPPING_PATH.read_text(encoding="utf-8"))
    table["systems"]["local"] = "http://hospital.example/codes"
    table["observations"]["hounsfield_units"]["codes"] = {"local": ["ct-hu-l1"]}
    configured = tmp_path / "mapping.yaml"
    configured.write_text(yaml.safe_dump(table), encoding="utf-8")
    scan = resource(
        "Observation",
        coded("http://hospital.example/codes", "ct-hu-l1"),
        status="final",
        effectiveDateTime="2026-09-01",
        **quantity(96, "[hnsf'U]"),
    )
    assert read_fhir(scan, terms=load_terminology(configured)).patient["hounsfield_units"] == 96
    assert "hounsfield_units" not in read_fhir(scan).patient  # the shipped mapping has no code
