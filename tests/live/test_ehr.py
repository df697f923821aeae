"""EHR integration on the wire: a signed CDS Hooks call against the real server (JWKS fetched from a
local server with real keys), and a gzip-encoded batch."""

from __future__ import annotations

import gzip
import json

import jwt
import pytest
import requests

from tests.helpers import AUTH, TEST_KEY, make_patient
from tests.helpers.cds import PATIENT_VIEW, Issuer, call, prefetch_of
from tests.live.server import LiveServer

TIMEOUT = 10


@pytest.fixture(scope="module")
def signed():
    """The real server with one CDS client: an EHR whose JWKS a local server publishes."""
    with (
        Issuer() as ehr,
        LiveServer(workers=2, front=True, API_KEYS=TEST_KEY, CDS_CLIENTS=f"{ehr.name}={ehr.url}") as server,
    ):
        yield server, ehr


def test_a_signed_hook_call_gets_cards_and_an_unsigned_one_a_401(signed):
    server, ehr = signed
    url = server.url + PATIENT_VIEW
    body = call("complete", prefetch=prefetch_of("complete"))
    answered = requests.post(
        url, json=body, headers={"Authorization": f"Bearer {ehr.token(url)}"}, timeout=TIMEOUT
    )
    assert answered.status_code == 200 and answered.json()["cards"][0]["indicator"] == "critical"
    assert "url" not in answered.json()["cards"][0]["source"]  # no PUBLIC_BASE_URL: no link to a Host
    for headers in ({}, AUTH, {"Authorization": f"Bearer {ehr.token('https://elsewhere.example/x')}"}):
        refused = requests.post(url, json=body, headers=headers, timeout=TIMEOUT)
        assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert requests.get(server.url + "/cds-services", timeout=TIMEOUT).status_code == 200


def test_a_token_is_accepted_once_by_the_whole_deployment(signed):
    """Replayed on fresh connections, the calls land on both workers: one answer, and 401s after."""
    server, ehr = signed
    url = server.url + PATIENT_VIEW
    token = ehr.token(url)
    body = call("complete", prefetch=prefetch_of("complete"))
    statuses = []
    for _ in range(20):
        with requests.Session() as fresh:  # a new connection each time
            headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
            statuses.append(fresh.post(url, json=body, headers=headers, timeout=TIMEOUT).status_code)
    assert sorted(statuses) == [200] + [401] * 19


def test_a_forged_token_naming_a_key_of_the_other_type_is_a_401_not_a_500(signed):
    """An RSA key named for ES384 (and the reverse) is refused before PyJWT could stumble on it."""
    server, ehr = signed
    url = server.url + PATIENT_VIEW
    for alg, kid in (("ES384", "rsa-1"), ("RS384", "ec-1")):
        token = jwt.encode({"iss": ehr.name}, ehr.keys[kid][1], algorithm=ehr.keys[kid][0])
        header = jwt.utils.base64url_encode(json.dumps({"alg": alg, "kid": kid}).encode()).decode()
        forged = ".".join([header, *token.split(".")[1:]])
        refused = requests.post(
            url, json=call("complete"), headers={"Authorization": f"Bearer {forged}"}, timeout=TIMEOUT
        )
        assert refused.status_code == 401, refused.text
    metrics = requests.get(server.url + "/metrics", headers=AUTH, timeout=TIMEOUT).text
    assert 'status="500"' not in metrics


def test_a_batch_is_gzip_encoded_on_the_wire(live):
    body = {"patients": [make_patient(smoking="current")] * 50}
    with requests.post(
        live.url + "/v1/assessments/batch",
        json=body,
        headers={**AUTH, "Accept-Encoding": "gzip"},
        timeout=TIMEOUT,
        stream=True,
    ) as response:
        raw = response.raw.read(decode_content=False)
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(raw)) > 5 * len(raw)
