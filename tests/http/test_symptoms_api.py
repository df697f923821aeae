"""The symptom review through the API: model 1.2's worked examples, deprecated codes, "asked, none
reported", and red flags kept in a refused patient's 422 (RFC 9457 extension member)."""

from __future__ import annotations

import pytest

from tests.helpers import make_patient, problem_of
from tests.helpers.symptom_examples import ABSCESS_NOTE, EXAMPLES, SCORED

URL, BATCH = "/v1/assessments", "/v1/assessments/batch"
RED_FLAG = {"symptoms": ["bladder_or_bowel_control_loss"], "days_since_surgery": 5}


@pytest.mark.parametrize("name", SCORED)
def test_each_scored_example_gets_its_review(client, name):
    patient, urgency, combinations, deprecated = SCORED[name]
    body = client.post(URL, json=patient).get_json()
    review = body["symptom_review"]
    assert review["urgency"] == urgency
    assert [c["id"] for c in review["combinations"]] == combinations
    assert [w["fields"] for w in body["warnings"] if w["code"] == "deprecated_symptom_code"] == [
        ["symptoms"] for _ in deprecated
    ]


def test_example_2_carries_the_abscess_note(client):
    review = client.post(URL, json=EXAMPLES["2-abscess"][0]).get_json()["symptom_review"]
    assert [c["note"] for c in review["combinations"]] == [ABSCESS_NOTE]


def test_example_4_the_minors_422_on_age_carries_an_emergency_review(client):
    problem = problem_of(client.post(URL, json=EXAMPLES["4-minor-red-flag"][0]), 422)
    assert problem["errors"] == {"age": ["The model applies to adults, 18 or older."]}
    review = problem["symptom_review"]
    assert (review["urgency"], review["phase"]) == ("emergency", "early")
    assert review["findings"][0]["code"] == "bladder_or_bowel_control_loss"


@pytest.mark.parametrize(
    ("changes", "reviewed"),
    [
        ({"age": 17, **RED_FLAG}, True),
        ({"levels_fused": "2", **RED_FLAG}, True),  # not about the symptoms: still read
        ({"height": 170, **RED_FLAG}, True),  # an unknown field
        ({"age": 17, "symptoms": ["wound_pus"]}, True),  # no days: the most urgent level
        ({"age": 17, "symptoms": ["bladder_or_bowel_control_loss", "hiccups"]}, False),
        ({"age": 17, "symptoms": "bladder_or_bowel_control_loss"}, False),
        ({"age": 17, "symptoms": ["saddle_numbness"], "days_since_surgery": -1}, False),
        ({"age": 17}, False),  # not asked
        ({"age": 17, "symptoms": None}, False),
    ],
    ids=[
        "minor",
        "bad-number",
        "unknown-field",
        "no-days",
        "bad-code",
        "not-a-list",
        "bad-days",
        "unasked",
        "null",
    ],
)
def test_a_refused_patients_symptoms_are_reviewed_when_they_can_be_read(client, changes, reviewed):
    problem = problem_of(client.post(URL, json=make_patient(**changes)), 422)
    assert ("symptom_review" in problem) is reviewed
    if reviewed:
        assert problem["symptom_review"]["urgency"] == "emergency"


def test_a_refused_patient_asked_with_none_reported_gets_a_routine_review(client):
    problem = problem_of(client.post(URL, json=make_patient(age=16, symptoms=[])), 422)
    assert (problem["symptom_review"]["status"], problem["symptom_review"]["urgency"]) == (
        "none_reported",
        "routine",
    )


def test_each_refused_patient_of_a_batch_keeps_their_red_flags(client):
    patients = [make_patient(age=16, **RED_FLAG), make_patient(age=16), make_patient(**RED_FLAG)]
    results = client.post(BATCH, json={"patients": patients}).get_json()["results"]
    assert results[0]["error"]["symptom_review"]["urgency"] == "emergency"
    assert results[0]["error"]["instance"] == f"{BATCH}#/patients/0"
    assert "symptom_review" not in results[1]["error"]
    assert results[2]["assessment"]["symptom_review"]["urgency"] == "emergency"


def test_asked_none_reported_and_not_asked_differ_on_the_wire(client):
    asked = client.post(URL, json=make_patient(symptoms=[])).get_json()["symptom_review"]
    assert (asked["status"], asked["urgency"], asked["findings"]) == ("none_reported", "routine", [])
    assert client.post(URL, json=make_patient()).get_json()["symptom_review"] is None
    assert client.post(URL, json=make_patient(symptoms=None)).get_json()["symptom_review"] is None


def test_an_old_code_is_accepted_read_as_its_new_code_and_warned_about(client):
    body = client.post(URL, json=make_patient(symptoms=["wound_drainage"], days_since_surgery=300)).get_json()
    assert [f["code"] for f in body["symptom_review"]["findings"]] == ["wound_pus"]
    (warning,) = body["warnings"]
    assert warning["code"] == "deprecated_symptom_code" and "`wound_pus`" in warning["message"]


def test_the_contract_documents_the_extension_and_the_deprecated_codes(client):
    spec = client.get("/openapi.json").get_json()
    problem = spec["components"]["schemas"]["Problem"]["properties"]["symptom_review"]
    assert "RFC 9457 extension" in problem["description"]
    schemas = spec["components"]["schemas"]
    items = schemas["AssessmentRequest"]["properties"]["symptoms"]["items"]
    parts = [schemas[part["$ref"].rpartition("/")[2]] for part in items["anyOf"]]
    deprecated = next(part for part in parts if part.get("deprecated"))
    assert "wound_drainage" in deprecated["enum"] and "wound_pus" not in deprecated["enum"]
