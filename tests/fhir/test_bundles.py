"""Assessing a bundle (POST /v1/fhir/risk-assessments): realistic bundles in, valid R4 out, and
every bad bundle a 422 OperationOutcome naming the entry."""

from __future__ import annotations

import copy
import json

import pytest

from tests.helpers import unchecked_client
from tests.helpers.fhir import EXPECTED, FHIR_JSON, ODD_BUT_VALID, bundle, fhir_r4_problems, mutate

URL = "/v1/fhir/risk-assessments"

# What each fixture bundle must read as (as of 2026-11-21): the equivalent request body.


def post(client, body, query="?date=2026-11-21", content_type=FHIR_JSON):
    return client.post(URL + query, data=json.dumps(body, separators=(",", ":")), content_type=content_type)


@pytest.mark.parametrize("name", EXPECTED)
def test_same_tiers_as_the_equivalent_assessment(client, name):
    response = post(client, bundle(name))
    assert response.status_code == 200 and response.mimetype == FHIR_JSON
    expected = client.post("/v1/assessments", json=EXPECTED[name]).get_json()["outcomes"]
    risks = [
        e["resource"]
        for e in response.get_json()["entry"]
        if e["resource"]["resourceType"] == "RiskAssessment"
    ]
    assert len(risks) == 2
    for resource, (outcome, block) in zip(risks, expected.items(), strict=True):
        prediction = resource["prediction"][0]
        assert prediction["outcome"]["coding"][0]["code"] == outcome
        assert prediction["qualitativeRisk"]["coding"][0]["code"] == block["risk_range"]["highest"]
        assert prediction["rationale"] == block["summary"]


@pytest.mark.parametrize("name", EXPECTED)
def test_output_is_valid_fhir_r4_for_both_validators(client, name):
    assert fhir_r4_problems(post(client, bundle(name)).get_json()) == []


def test_risk_assessment_content(client):
    body = post(client, bundle("complete")).get_json()
    resource = body["entry"][0]["resource"]
    assert resource["status"] == "final"
    assert resource["subject"] == {"reference": "Patient/pat-complete"}
    assert resource["occurrenceDateTime"] == "2026-11-21"
    method = resource["method"]["coding"][0]
    assert (method["code"], method["version"]) == ("spinal-fusion-complications", "1.2.0")
    assert resource["prediction"][0]["qualitativeRisk"]["coding"][0]["system"] == (
        "http://terminology.hl7.org/CodeSystem/risk-probability"
    )
    assert [b["reference"] for b in resource["basis"]] == [
        "Patient/pat-complete",
        "Observation/smk-1",
        "Observation/bmi-1",
        "Observation/a1c-1",
        "Observation/dxa-1",
        "Condition/dm-1",
        "Condition/vitd-1",
        "MedicationStatement/pred-1",
        "ServiceRequest/sr-fusion",
    ]
    assert "Stopping smoking" in resource["mitigation"] and "glucose" in resource["mitigation"]
    assert resource["note"][0]["text"].startswith("Decision support, not a diagnosis")


def test_what_was_ignored_is_reported(client):
    entries = post(client, bundle("messy")).get_json()["entry"]
    issues = entries[-1]["resource"]
    assert issues["resourceType"] == "OperationOutcome"
    reported = {(i["expression"][0], i["diagnostics"]) for i in issues["issue"]}
    assert ("Bundle.entry[5].resource", "bmi in unit 'lb/in2', which is not supported; ignored") in reported
    assert ("Bundle.entry[10].resource", "condition refuted; ignored") in reported
    assert ("Bundle.entry[13].resource", "corticosteroid by a non-systemic route; ignored") in reported
    assert any("Patient/other-patient" in text for _, text in reported)


def test_deterministic_and_json_accepted(client):
    first = post(client, bundle("complete"))
    second = post(client, bundle("complete"), content_type="application/json")
    assert first.data == second.data


def test_levels_parameter_wins(client):
    body = post(client, bundle("complete"), query="?date=2026-11-21&levels_fused=1").get_json()
    pseudarthrosis = body["entry"][0]["resource"]["prediction"][0]["rationale"]
    assert "levels" not in pseudarthrosis  # one level adds nothing


def test_an_implausible_value_is_ignored_and_reported(client):
    broken = bundle("complete")
    broken["entry"][2]["resource"]["valueQuantity"]["value"] = 3.0  # BMI 3
    entries = post(client, broken).get_json()["entry"]
    issue = entries[-1]["resource"]["issue"][0]
    assert issue["expression"] == ["Bundle.entry[2].resource"] and issue["diagnostics"].startswith(
        "bmi ignored"
    )


def _patients(count):
    body = bundle("sparse")
    body["entry"] = [copy.deepcopy(body["entry"][0]) for _ in range(count)]
    return body


@pytest.mark.parametrize(
    ("body", "expression", "text"),
    [
        ({"resourceType": "Patient"}, "Bundle.resourceType", "'Bundle' was expected"),
        (_patients(0), "Bundle.entry", "exactly one Patient"),
        (_patients(2), "Bundle.entry", "exactly one Patient"),
        (
            {
                "resourceType": "Bundle",
                "entry": [{"resource": {"resourceType": "Patient", "birthDate": "21/11/1960"}}],
            },
            "Bundle.entry[0].resource.birthDate",
            "does not match",
        ),
        (
            {
                "resourceType": "Bundle",
                "entry": [{"resource": {"resourceType": "Patient"}}, {"resource": {}}],
            },
            "Bundle.entry[1].resource",
            "'resourceType' is a required property",
        ),
    ],
    ids=["not-a-bundle", "no-patient", "two-patients", "bad-birth-date", "resource-without-type"],
)
def test_bad_fhir_is_a_422_operation_outcome_naming_the_entry(client, body, expression, text):
    response = post(client, body)
    assert response.status_code == 422 and response.mimetype == FHIR_JSON
    outcome = response.get_json()
    assert fhir_r4_problems(outcome) == []
    assert any(expression in i["expression"] and text in i["diagnostics"] for i in outcome["issue"])


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"data": b"[]", "content_type": FHIR_JSON}, 400),
        ({"data": b"{}", "content_type": "text/plain"}, 415),
        ({"method": "GET"}, 405),
    ],
)
def test_every_error_on_the_fhir_endpoint_is_an_operation_outcome(client, request_kwargs, status):
    response = client.open(URL, **{"method": "POST", **request_kwargs})
    assert response.status_code == status and response.mimetype == FHIR_JSON
    assert fhir_r4_problems(response.get_json()) == []


def test_bad_query_parameters(client):
    response = post(client, bundle("sparse"), query="?date=yesterday")
    assert response.status_code == 422 and response.get_json()["issue"][0]["expression"] == ["date"]


# Values the schema types: refused with a 422 naming the element, never a 500.
SCHEMA_REFUSES = {
    "code as a list": mutate("Observation.valueQuantity.code", ["kg/m2"]),
    "coding as an object": mutate("Condition.code", {"coding": {"code": "E11"}}),
    "full url as a number": lambda body: {
        **body,
        "entry": [{**body["entry"][0], "fullUrl": 5}, *body["entry"][1:]],
    },
}


@pytest.mark.parametrize("change", SCHEMA_REFUSES.values(), ids=list(SCHEMA_REFUSES))
def test_values_the_schema_types_are_a_422_naming_the_element(client, change):
    response = post(client, change(bundle("complete")))
    assert response.status_code == 422
    assert response.get_json()["issue"][0]["expression"][0].startswith("Bundle.entry[")


@pytest.mark.parametrize("change", ODD_BUT_VALID.values(), ids=list(ODD_BUT_VALID))
def test_odd_values_the_schema_allows_are_ignored_not_a_500(client, change):
    response = post(client, change(bundle("complete")))
    assert response.status_code == 200, response.get_json()
    assert fhir_r4_problems(response.get_json()) == []


@pytest.mark.parametrize(("code", "value"), [("8302-2", 900), ("29463-7", 900)], ids=["height", "weight"])
def test_an_implausible_height_or_weight_drops_the_pair_and_widens(client, code, value):
    body = bundle("healthy")
    for entry in body["entry"]:
        resource = entry["resource"]
        if code in json.dumps(resource.get("code")):
            resource["valueQuantity"]["value"] = value
    response = post(client, body)
    assert response.status_code == 200
    issues = response.get_json()["entry"][-1]["resource"]["issue"]
    dropped = {i["diagnostics"].split()[0] for i in issues if " ignored" in i["diagnostics"]}
    assert {"height_cm", "weight_kg"} <= dropped


@pytest.mark.parametrize("born", ["2015-06-01", "2009-01-02"])
def test_a_patient_under_18_gets_an_operation_outcome_not_tiers(client, born):
    body = bundle("sparse")
    body["entry"][0]["resource"]["birthDate"] = born
    response = post(client, body)
    assert response.status_code == 422 and response.mimetype == FHIR_JSON
    issue = response.get_json()["issue"][0]
    assert issue["code"] == "not-supported" and "adults, 18 or older" in issue["diagnostics"]
    assert issue["expression"] == ["Bundle.entry[0].resource.birthDate"]
    assert fhir_r4_problems(response.get_json()) == []


def test_an_adult_of_18_is_assessed(client):
    body = bundle("sparse")
    body["entry"][0]["resource"]["birthDate"] = "2008-11-21"  # 18 on 2026-11-21
    assert post(client, body).status_code == 200


def test_one_page_of_a_search_is_read_and_the_rest_reported_unknown(client):
    entries = post(client, bundle("ehr-page-1")).get_json()["entry"]
    issues = entries[-1]["resource"]["issue"]
    assert any(i["code"] == "incomplete" and i["expression"] == ["Bundle.link"] for i in issues)
    hardware = entries[1]["resource"]
    assert hardware["status"] == "preliminary"  # moderate to high: the missing pages could hold more


def test_an_ehr_export_reports_the_steroids_it_did_not_count(client):
    issues = post(client, bundle("ehr-export")).get_json()["entry"][-1]["resource"]["issue"]
    said = " ".join(i["diagnostics"] for i in issues)
    assert "non-systemic route" in said and "status 'completed'" in said


CODINGS = {"resourceType": "Condition", "code": {"coding": [{}] * 300}}


def test_a_large_bundle_without_a_patient_is_a_422_naming_the_patient():
    """The red team's 1.9 MB Bundle (2,000 entries of 300 empty codings, no Patient): answered by the
    one document-wide error (bench/hostile.py measures its cost, once seconds of CPU)."""
    response = post(unchecked_client(), {"resourceType": "Bundle", "entry": [{"resource": CODINGS}] * 2000})
    assert response.status_code == 422
    issues = response.get_json()["issue"]
    assert [i["expression"] for i in issues] == [["Bundle.entry"]] and "exactly one Patient" in issues[0][
        "diagnostics"
    ]
