"""The reading state: entries by type, the Patient, references, and what was used or ignored."""

from __future__ import annotations

from service.fhir import load_terminology
from service.fhir.reader import Reader
from tests.helpers.fhir import bundle

TERMS = load_terminology()


def reader_of(*resources, full_url="urn:uuid:7d1c2f4e-0000-4000-8000-000000000001"):
    body = bundle("sparse")
    body["entry"][0]["fullUrl"] = full_url
    body["entry"] += [{"resource": r} for r in resources]
    return Reader(body, TERMS)


def test_references_are_type_and_id_else_full_url():
    reader = reader_of()
    assert reader.reference(0) == "Patient/pat-sparse"
    del reader.entries[0]["resource"]["id"]
    assert reader.reference(0) == "urn:uuid:7d1c2f4e-0000-4000-8000-000000000001"


def test_a_resource_about_another_patient_is_reported():
    other = {"resourceType": "Condition", "subject": {"reference": "Patient/someone-else"}}
    reader = reader_of(other)
    assert not reader.about_patient(1, other)
    assert reader.issues[0]["expression"] == ["Bundle.entry[1].resource"]
    assert "Patient/someone-else" in reader.issues[0]["diagnostics"]


def test_the_patient_is_known_by_id_or_full_url_and_no_subject_means_the_patient():
    reader = reader_of()
    for subject in ("Patient/pat-sparse", "urn:uuid:7d1c2f4e-0000-4000-8000-000000000001"):
        assert reader.about_patient(1, {"subject": {"reference": subject}})
    assert reader.about_patient(1, {}) and reader.issues == []


def test_use_records_the_source_once_per_entry_in_order():
    reader = reader_of()
    reader.use("bmi", 3)
    reader.use("height_cm", 2)
    reader.use("weight_kg", 3)
    assert list(reader.used) == [3, 2] and reader.sources == {"bmi": [3], "height_cm": [2], "weight_kg": [3]}


def test_find_follows_a_reference_by_type_and_id_or_full_url():
    medication = {"resourceType": "Medication", "id": "m1"}
    reader = reader_of(medication)
    assert reader.find("Medication/m1", "Medication") is medication
    assert reader.find("Medication/m2", "Medication") is None and reader.find(None, "Medication") is None


def test_an_entry_left_out_by_several_rules_is_reported_once():
    other = {
        "resourceType": "Procedure",
        "status": "completed",
        "subject": {"reference": "Patient/someone-else"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "55705006"}]},
        "performedDateTime": "2026-01-01",
    }
    from tests.helpers.fhir import read_fhir

    issues = read_fhir(other).issues
    assert len([i for i in issues if "someone-else" in i["diagnostics"]]) == 1
