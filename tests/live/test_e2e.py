"""End to end against the real gunicorn: happy paths, every error class, headers, auth, CORS."""

from __future__ import annotations

import json
import re

import pytest
import requests

from schemas import ASSESSMENT_EXAMPLES
from service.core import default_model
from tests.helpers.cds import call, prefetch_of
from tests.helpers.contract import check_live
from tests.helpers.fhir import bundle

HIGH = ASSESSMENT_EXAMPLES["high"]["value"]
TIMEOUT = 10
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def exchange(session, method, url, **kwargs):
    response = session.request(method, url, timeout=TIMEOUT, **kwargs)
    check_live(response)
    assert re.fullmatch(r"[0-9a-fA-F]{32}|[0-9a-fA-F-]{36}", response.headers["X-Request-ID"])
    return response


def test_happy_paths(live, http):
    base = live.url
    assessed = exchange(http, "POST", f"{base}/v1/assessments", json=HIGH)
    assert {b["risk"] for b in assessed.json()["outcomes"].values()} == {"high"}
    batch = exchange(http, "POST", f"{base}/v1/assessments/batch", json={"patients": [HIGH, {"age": "x"}]})
    assert [sorted(r) for r in batch.json()["results"]] == [["assessment", "index"], ["error", "index"]]
    fhir = exchange(
        http,
        "POST",
        f"{base}/v1/fhir/risk-assessments?date=2026-11-21",
        data=json.dumps(bundle("complete")),
        headers={"Content-Type": "application/fhir+json"},
    )
    assert fhir.headers["Content-Type"].startswith("application/fhir+json")
    cards = exchange(
        http,
        "POST",
        f"{base}/cds-services/spinal-fusion-risk",
        json=call("complete", prefetch=prefetch_of("complete")),
    )
    assert cards.json()["cards"][0]["indicator"] == "critical"
    assert exchange(http, "GET", f"{base}/cds-services").json()["services"]
    assert exchange(http, "GET", f"{base}/v1/model").json()["version"] == default_model().version
    assert "http_requests_total" in exchange(http, "GET", f"{base}/metrics").text


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/v1/assessments", {"data": b"{nope", "headers": {"Content-Type": "application/json"}}, 400),
        ("POST", "/v1/assessments", {"json": {**HIGH, "age": "70"}}, 422),
        ("POST", "/v1/assessments", {"data": b"{}", "headers": {"Content-Type": "text/plain"}}, 415),
        (
            "POST",
            "/v1/assessments",
            {"data": b"x" * 70_000, "headers": {"Content-Type": "application/json"}},
            413,
        ),
        ("GET", "/v1/nothing", {}, 404),
        ("DELETE", "/v1/model", {}, 405),
        ("POST", "/cds-services/spinal-fusion-risk", {"json": {"hook": "patient-view"}}, 400),
        ("POST", "/v1/fhir/risk-assessments", {"json": {"resourceType": "Patient"}}, 422),
    ],
)
def test_every_error_class(live, http, method, path, kwargs, status):
    response = exchange(http, method, live.url + path, **kwargs)
    assert response.status_code == status
    assert "Traceback" not in response.text
    if status == 405:
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/docs", "/openapi.json", "/openapi.yaml", "/favicon.ico"]
)
def test_open_without_a_key(live, path):
    assert requests.get(live.url + path, timeout=TIMEOUT).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/model"),
        ("POST", "/v1/assessments"),
        ("POST", "/cds-services/spinal-fusion-risk"),
        ("GET", "/metrics"),
        ("POST", "/v1/fhir/risk-assessments"),
    ],
)
@pytest.mark.parametrize("key", [None, "wrong-key-0123456789", "test-key-0123456789abcdeX"])
def test_protected_without_a_valid_key(live, method, path, key):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = requests.request(method, live.url + path, headers=headers, json={}, timeout=TIMEOUT)
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="spinal-fusion-risk"') and (
        "invalid_token" in challenge
    ) == bool(key)
    check_live(response)


def test_security_headers(live, http):
    api = exchange(http, "POST", f"{live.url}/v1/assessments", json=HIGH)
    for name, value in SECURITY_HEADERS.items():
        assert api.headers[name] == value
    assert api.headers["Cache-Control"] == "no-store"
    assert not re.search(r"\d", api.headers.get("Server", ""))  # no version
    docs = requests.get(f"{live.url}/docs", timeout=TIMEOUT)
    policy = docs.headers["Content-Security-Policy"]
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/]+=*';", policy) and "unsafe-eval" not in policy
    assert docs.headers["X-Frame-Options"] == "DENY"


def test_cors_only_for_configured_origins(live, http):
    allowed = http.post(
        f"{live.url}/v1/assessments", json=HIGH, headers={"Origin": "https://ehr.example"}, timeout=TIMEOUT
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://ehr.example"
    assert "Origin" in allowed.headers["Vary"]
    other = http.post(
        f"{live.url}/v1/assessments", json=HIGH, headers={"Origin": "https://evil.example"}, timeout=TIMEOUT
    )
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = requests.options(
        f"{live.url}/v1/assessments",
        headers={"Origin": "https://ehr.example", "Access-Control-Request-Method": "POST"},
        timeout=TIMEOUT,
    )
    assert preflight.status_code == 200  # no key needed for a preflight
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
