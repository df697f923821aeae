"""Reading a bundle into the model's inputs: the fixtures, the age as of a date, what is unknown."""

from __future__ import annotations

from datetime import date

import pytest

from service.core import default_model
from service.fhir import extract, load_terminology
from tests.helpers.fhir import EXPECTED, ON, bundle, read_fhir


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
