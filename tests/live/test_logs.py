"""No patient data in the logs: distinctive values through every endpoint, errors included."""

from __future__ import annotations

import json

import orjson
import requests

from tests.helpers import AUTH
from tests.helpers.cds import FhirServer
from tests.helpers.fhir import bundle
from tests.live.server import LiveServer

MARK = "sentinelx9q"  # every planted value contains it
NUMBER = 271.828  # a distinctive number, planted too


def planted_bundle():
    body = bundle("complete")
    patient = body["entry"][0]["resource"]
    patient["name"] = [{"family": f"{MARK}-family", "given": [f"{MARK}-given"]}]
    patient["identifier"] = [{"system": "urn:mrn", "value": f"MRN-{MARK}"}]
    patient["id"] = f"{MARK}-pid"
    for entry in body["entry"][1:]:
        entry["resource"]["subject"] = {"reference": f"Patient/{MARK}-pid"}
    return body


def requests_with_planted_values(url: str, fhir_server: str) -> list[requests.Response]:
    post = requests.post
    patient = {
        "age": 61,
        "smoking": "never",
        "osteoporosis": False,
        "diabetes": False,
        "levels_fused": 2,
        "obesity": None,
    }
    cds = {
        "hook": "patient-view",
        "hookInstance": f"{MARK}-instance",
        "context": {"userId": f"Practitioner/{MARK}", "patientId": f"{MARK}-pid"},
        "fhirServer": fhir_server,
        "fhirAuthorization": {"access_token": f"{MARK}-token", "token_type": "Bearer"},
    }
    headers = {**AUTH, "X-Patient-Name": MARK, "User-Agent": MARK, "X-Request-ID": f"Jane-Doe-{MARK}"}
    return [
        post(
            f"{url}/v1/assessments",
            json={**patient, "height_cm": 170, "weight_kg": NUMBER / 2},
            headers=headers,
        ),
        post(f"{url}/v1/assessments", json={**patient, "smoking": MARK, f"{MARK}_field": 1}, headers=headers),
        post(f"{url}/v1/assessments", json={**patient, "symptoms": [MARK]}, headers=headers),
        post(
            f"{url}/v1/assessments",
            data=f'{{"{MARK}": '.encode(),
            headers={**headers, "Content-Type": "application/json"},
        ),
        post(f"{url}/v1/assessments", data=MARK.encode(), headers={**AUTH, "Content-Type": f"text/{MARK}"}),
        post(f"{url}/v1/assessments/batch", json={"patients": [patient, {"age": MARK}]}, headers=headers),
        post(
            f"{url}/v1/fhir/risk-assessments",
            data=json.dumps(planted_bundle()),
            headers={**headers, "Content-Type": "application/fhir+json"},
        ),
        post(f"{url}/v1/fhir/risk-assessments?date={MARK}", json=planted_bundle(), headers=headers),
        post(
            f"{url}/v1/fhir/risk-assessments",
            json={
                "resourceType": "Bundle",
                "entry": [{"resource": {"resourceType": "Patient", "birthDate": MARK}}],
            },
            headers=headers,
        ),
        post(f"{url}/cds-services/spinal-fusion-risk", json=cds, headers=headers),
        post(f"{url}/cds-services/spinal-fusion-risk", json={**cds, "hook": MARK}, headers=headers),
        requests.get(f"{url}/v1/{MARK}/patient", headers=headers),
        requests.get(f"{url}/v1/model?name={MARK}", headers={"Authorization": f"Bearer {MARK}"}),
        *clinician_pages(url, patient, headers),
    ]


def clinician_pages(url: str, patient: dict, headers: dict) -> list[requests.Response]:
    """The form posted with planted values: scored, refused for a field, refused for its key; each
    with the handout's contacts planted too (printed on the handout, never logged)."""
    form = {
        **{name: json.dumps(value) for name, value in patient.items()},
        "team_phone": f"{MARK}-phone",
        "out_of_hours": f"{MARK}-out-of-hours",
    }
    key = AUTH["Authorization"].split()[1]
    post = requests.post
    return [
        post(
            f"{url}/report", data={**form, "api_key": key, "height_cm": "170", "weight_kg": str(NUMBER / 2)}
        ),
        post(
            f"{url}/report",
            data={**form, "api_key": key, "smoking": MARK, f"{MARK}_field": "1"},
            headers=headers,
        ),
        post(f"{url}/report", data={**form, "api_key": f"{MARK}-key"}, headers=headers),
    ]


def test_no_planted_value_reaches_the_logs():
    resources = [e["resource"] for e in planted_bundle()["entry"]]
    resources[0]["id"] = "other"  # the Patient read fails (404): a fetch warning is logged
    with (
        FhirServer(resources) as fhir,
        LiveServer(
            workers=2, front=True, API_KEYS=AUTH["Authorization"].split()[1], CDS_FHIR_SERVERS=fhir.base
        ) as server,
    ):
        responses = [r for r in requests_with_planted_values(server.url, fhir.base)]
        # One the front refuses itself (over the body limit): its log line has no URL either.
        refused = requests.post(f"{server.url}/v1/assessments?name={MARK}", data=b"x" * 70_000, headers=AUTH)
        server.stop()
        log = server.log()
    assert [r.status_code for r in responses] == [
        200,
        422,
        422,
        400,
        415,
        200,
        200,
        422,
        422,
        200,
        400,
        404,
        401,
        200,
        422,
        401,
    ]
    assert len(fhir.requests) == 7  # the CDS call fetched (and one fetch failed)
    assert refused.status_code == 413
    lines = [orjson.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert [line["status"] for line in lines if line.get("logger") == "front" and "status" in line] == [413]
    access = [line for line in lines if line.get("logger") == "service.access" and line["path"] != "/readyz"]
    assert len(access) == len(responses)  # one line per request (the harness's readiness probes aside)
    assert {"request_id", "method", "path", "status", "duration_ms", "model_version"} <= set(access[0])
    assert any(line.get("logger") == "service.cds.gather" for line in lines)
    assert MARK not in log.lower() and str(NUMBER / 2) not in log and "mrn" not in log.lower()
    assert f"{MARK}-out-of-hours" in responses[-3].text  # the handout printed what the log never holds
