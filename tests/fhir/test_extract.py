"""Reading a bundle into the model's inputs: the fixtures, the age as of a date, what is unknown."""

from __future__ import annotations

from datetime import date

import pytest

from service.core import default_model
from service.fhir import extract, load_terminology
from tests.helpers.fhir import EXPECTED, ON, bundle, fhir_r4_problems, ignored, read_fhir
from tests.helpers.worked import EXAMPLES
from tests.helpers.worked_fhir import read_back, worked_bundle


def read(body, on=ON):
    return extract(body, load_terminology(), default_model(), on)


@pytest.mark.parametrize("name", EXPECTED)
def test_fixture_reads_as_expected(name):
    assert read(bundle(name)).patient == EXPECTED[name]


@pytest.mark.parametrize(("on", "age"), [("2026-03-13", 67), ("2026-03-14", 68)])
def test_age_is_as_of_the_assessment_date(on, age):
    assert read(bundle("complete"), date.fromisoformat(on)).patient["age"] == age


VAPING = {
    "resourceType": "Observation",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "105045-9"}]},
    "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "785889008"}]},
}
POUCHES = {
    "resourceType": "Condition",
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F17.290"}]},
}


@pytest.mark.parametrize("resource", [VAPING, POUCHES], ids=["e-cigarette status", "nicotine dependence"])
def test_non_tobacco_nicotine_is_read(resource):
    body = bundle("sparse")
    body["entry"].append({"resource": resource})
    assert read(body).patient["other_nicotine"] is True


def test_no_nicotine_record_is_not_provided_never_no_use():
    assert "other_nicotine" not in read(bundle("complete")).patient


def test_a_bundle_with_nothing_but_a_patient_is_all_unknown():
    extraction = read_fhir()
    assert extraction.patient == {
        "age": 77,
        "sex": "female",  # the Patient says these two
        "smoking": None,
        "osteoporosis": None,
        "diabetes": None,
        "levels_fused": None,
        "obesity": None,
    }
    assert extraction.subject == {"reference": "Patient/pat-sparse"}
    assert extraction.basis == [{"reference": "Patient/pat-sparse"}]


def test_every_input_read_is_a_model_input(model):
    for name in EXPECTED:
        assert set(read(bundle(name)).patient) <= set(model.inputs)


@pytest.mark.parametrize(
    ("gender", "sex"),
    [("female", "female"), ("male", "male"), ("other", None), ("unknown", None), (None, None), (7, None)],
)
def test_sex_is_read_from_the_patients_gender(gender, sex):
    body = bundle("sparse")
    patient = next(e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == "Patient")
    patient.pop("gender")
    if gender is not None:
        patient["gender"] = gender
    extraction = read(body)
    assert extraction.patient.get("sex") == sex
    reported = [text for text in ignored(extraction) if "Patient.gender" in text]
    assert len(reported) == (gender in ("other", "unknown"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_worked_example_as_a_fhir_record_reads_back_as_what_fhir_says(name):
    """Model 1.2's worked examples, written as FHIR records (valid R4), read back as their inputs
    FHIR can state: sex from the Patient, the approach from the fusion's CPT codes, and the rest."""
    patient = EXAMPLES[name].patient
    record = worked_bundle(patient)
    assert fhir_r4_problems(record) == []
    assert read(record).patient == read_back(patient)
