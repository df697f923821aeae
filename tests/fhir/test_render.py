"""RiskAssessment output: unknown data never coded as reassurance, standard outcome codes, a
subject and basis that resolve, valid R4 for both validators."""

from __future__ import annotations

import json

import pytest

from service.core.typical import rate_words
from service.fhir import load_terminology
from service.fhir.extract import Extraction
from service.fhir.render import risk_bundle
from tests.helpers.fhir import FHIR_JSON, ON, bundle, fhir_r4_problems
from tests.helpers.worked import EXAMPLES
from tests.helpers.worked_fhir import worked_bundle

URL = "/v1/fhir/risk-assessments?date=2026-11-21"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
OUTPUT = load_terminology().table["output"]
OSTEOPOROSIS = {
    "resourceType": "Condition",
    "clinicalStatus": {
        "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]
    },
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "64859006"}]},
}


def assessed(client, body):
    response = client.post(URL, data=json.dumps(body), content_type=FHIR_JSON)
    assert response.status_code == 200, response.get_json()
    assert fhir_r4_problems(response.get_json()) == []
    return {
        e["resource"]["prediction"][0]["outcome"]["coding"][0]["code"]: e["resource"]
        for e in response.get_json()["entry"]
        if e["resource"]["resourceType"] == "RiskAssessment"
    }


def test_a_widened_range_is_preliminary_and_coded_at_its_highest_tier(client):
    found = assessed(client, bundle("sparse"))  # nothing but a Patient: five factors unknown
    for outcome, resource in found.items():
        prediction = resource["prediction"][0]
        assert resource["status"] == "preliminary"
        assert prediction["qualitativeRisk"]["coding"][0]["code"] == "high"
        text = prediction["qualitativeRisk"]["text"]
        assert text.endswith(
            "to high: smoking, osteoporosis diagnosis, diabetes, number of levels fused, obesity unknown"
        ), text
        (extension,) = prediction["extension"]
        assert extension["url"] == OUTPUT["range_extension"]
        bounds = {e["url"]: e["valueCodeableConcept"]["coding"][0]["code"] for e in extension["extension"]}
        assert bounds["highest"] == "high" and bounds["lowest"] in ("low", "moderate"), outcome
        assert any(
            n["text"].startswith("Preliminary: smoking, osteoporosis diagnosis") for n in resource["note"]
        )


def test_an_unknown_that_cannot_change_the_tier_is_final_and_named(client):
    found = assessed(client, bundle("complete"))  # the DXA grades the bone; the diagnosis is unknown
    for resource in found.values():
        prediction = resource["prediction"][0]
        assert resource["status"] == "final" and "extension" not in prediction
        assert prediction["qualitativeRisk"]["text"] == "High"
        assert any(n["text"].startswith("Unknown: osteoporosis diagnosis.") for n in resource["note"])


def test_without_unknowns_final_and_no_unknown_note(client):
    body = bundle("complete")
    body["entry"].append({"resource": {**OSTEOPOROSIS, "subject": {"reference": "Patient/pat-complete"}}})
    for resource in assessed(client, body).values():
        assert resource["status"] == "final"
        assert not any("nknown" in n["text"] for n in resource["note"])


def test_outcomes_carry_the_standard_codes(client):
    found = assessed(client, bundle("complete"))
    codes = {
        o: {(c["system"], c["code"]) for c in r["prediction"][0]["outcome"]["coding"]}
        for o, r in found.items()
    }
    assert (ICD10CM, "M96.0") in codes["pseudarthrosis"]
    assert {(ICD10CM, "T84.216"), (ICD10CM, "T84.226"), (ICD10CM, "T84.296")} <= codes["hardware_failure"]


def _without_patient_id(body, full_url):
    entry = body["entry"][0]
    del entry["resource"]["id"]
    if full_url is None:
        del entry["fullUrl"]
    else:
        entry["fullUrl"] = full_url
    return body


def test_a_patient_without_id_is_referenced_by_its_full_url(client):
    body = _without_patient_id(bundle("sparse"), "urn:uuid:3f0b8a52-6e8f-4d43-9a4b-2a0c6f3d1e77")
    for resource in assessed(client, body).values():
        assert resource["subject"] == {"reference": "urn:uuid:3f0b8a52-6e8f-4d43-9a4b-2a0c6f3d1e77"}


def test_a_patient_without_id_or_full_url_is_a_422(client):
    body = _without_patient_id(bundle("sparse"), None)
    response = client.post(URL, data=json.dumps(body), content_type=FHIR_JSON)
    assert (
        response.status_code == 422
        and "neither an id nor a fullUrl" in response.get_json()["issue"][0]["diagnostics"]
    )
    assert fhir_r4_problems(response.get_json()) == []


@pytest.mark.parametrize("name", ["complete", "messy", "healthy"])
def test_every_basis_reference_resolves_to_a_resource_sent(client, name):
    body = bundle(name)
    keys = {e.get("fullUrl") for e in body["entry"]}
    keys |= {
        f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in body["entry"]
        if "id" in e["resource"]
    }
    for resource in assessed(client, body).values():
        assert resource["basis"] and all(b["reference"] in keys for b in resource["basis"])


def _keys(value):
    """Every key of a JSON value, nested."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    return {k for v in value for k in _keys(v)} if isinstance(value, list) else set()


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_1_2_worked_examples_as_risk_assessments(assessor, name):
    """The examples' inputs go beyond what a FHIR record states (approach, rods, sex), so the rendering
    is tested from their assessments: the risk coded at the range's highest tier, preliminary only when
    the range spans tiers, and the typical rate a note, never a probability."""
    assessment = assessor(EXAMPLES[name].patient)
    extraction = Extraction(patient=EXAMPLES[name].patient, subject={"reference": "Patient/p1"})
    found = risk_bundle(extraction, assessment, load_terminology().table, assessor.model, ON)
    assert fhir_r4_problems(found) == []
    for entry, block in zip(found["entry"], assessment["outcomes"].values(), strict=True):
        resource = entry["resource"]
        (prediction,) = resource["prediction"]
        assert (
            prediction["qualitativeRisk"]["coding"][0]["code"]
            == block["risk"]
            == block["risk_range"]["highest"]
        )
        assert resource["status"] == ("final" if block["determinate"] else "preliminary")
        rate = rate_words(block["typical_rate"], assessor.model.typical.none, assessment["operation_class"])
        assert {"text": rate} in resource["note"]
        assert not {k for k in _keys(resource) if k.startswith("probability")}


def test_worked_example_6_from_its_fhir_record_shows_the_acdf_rate(client):
    """From the record (the approach read from CPT 22551, the level from C5-C6): the typical rate of an
    anterior cervical discectomy and fusion, as the example gives it from its inputs."""
    found = assessed(client, worked_bundle(EXAMPLES["6-acdf-smoker-diabetic"].patient))
    notes = [note["text"] for note in found["pseudarthrosis"]["note"]]
    assert any("3–10 per 100 after anterior cervical discectomy and fusion, 1 level" in n for n in notes)


def test_the_typical_rate_note_of_an_anterior_cervical_fusion(assessor):
    assessment = assessor(EXAMPLES["6-acdf-smoker-diabetic"].patient)
    extraction = Extraction(patient={}, subject={"reference": "Patient/p1"})
    found = risk_bundle(extraction, assessment, load_terminology().table, assessor.model, ON)
    notes = [n["text"] for n in found["entry"][0]["resource"]["note"]]
    assert (
        "Typical published rates for this kind of operation, not this patient's probability: 3–10 per 100 "
        "after anterior cervical discectomy and fusion, 1 level"
    ) in notes[1]
    assert [n["text"] for n in found["entry"][1]["resource"]["note"]][1] == (
        "No published rate is shown for this kind of operation "
        "(anterior cervical discectomy and fusion, 1 level)."
    )
