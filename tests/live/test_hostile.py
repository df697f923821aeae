"""A corpus of hostile requests against the real server: each a 4xx problem, never a 5xx."""

from __future__ import annotations

import socket

import pytest
import requests

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import AUTH

BASE = ASSESSMENT_EXAMPLES["high"]["value"]
JSON = {"Content-Type": "application/json"}
WRONG_TYPES = ["65", True, None, [1], {"v": 1}, 70.5, -1, 10**30, "NaN", ""]
CORE = ["age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity"]
REFINEMENTS = [
    "bmi",
    "t_score",
    "hba1c",
    "hounsfield_units",
    "months_since_quit",
    "symptoms",
    "region",
    "steroid_use",
]


BOOLEANS = {"osteoporosis", "diabetes", "obesity", "steroid_use"}


def _type_confusion():
    for field in CORE:
        for value in WRONG_TYPES:
            if value is None or (field in BOOLEANS and value is True):
                value = {"nested": value}  # null is "unknown", true a fine boolean: confuse otherwise
            yield f"type {field}={value!r}", "POST", "/v1/assessments", {"json": {**BASE, field: value}}
    for field in REFINEMENTS:
        for value in ("31", 7 if field in BOOLEANS else False, [[1]], {"x": 1}):
            yield f"type {field}={value!r}", "POST", "/v1/assessments", {"json": {**BASE, field: value}}


def _bodies():
    raw = {
        "empty": b"",
        "spaces": b"   ",
        "null": b"null",
        "array": b"[]",
        "number": b"1",
        "string": b'"x"',
        "truncated": b'{"age": ',
        "trailing": b"{}{}",
        "nan": b'{"age": NaN}',
        "infinity": b'{"age": -Infinity}',
        "overflow": b'{"age": 1e999}',
        "huge-integer": b'{"age": 1' + b"0" * 5000 + b"}",
        "utf16": '{"age": 50}'.encode("utf-16"),
        "utf16-be": '{"age": 50}'.encode("utf-16-be"),
        "latin1": '{"smoking": "café"}'.encode("latin-1"),
        "bom": b'\xef\xbb\xbf{"age": 50}',
        "overlong-utf8": b'{"smoking": "\xc0\xaf"}',
        "lone-surrogate": b'{"smoking": "\\udc00"}',
        "nul-in-string": b'{"smoking": "\\u0000"}',
        "deep-objects": b'{"a": ' * 40 + b"1" + b"}" * 40,
        "deep-arrays": b'{"symptoms": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        "long-string": b'{"smoking": "' + b"a" * 60_000 + b'"}',
        "many-keys": b"{" + b",".join(b'"k%d": 1' % i for i in range(4000)) + b"}",
        "controls": b'{"age"\x00: 50}',
        "over-limit": b'{"pad": "' + b"x" * 70_000 + b'"}',
    }
    for name, body in raw.items():
        yield f"body {name}", "POST", "/v1/assessments", {"data": body, "headers": JSON}


def _media_types():
    media_types = [
        None,
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/json; charset=utf-16",
        "application/jsonx",
        "*/*",
        "application/json, text/plain",
    ]
    for content_type in media_types:
        headers = {"Content-Type": content_type} if content_type else {}
        yield f"media {content_type}", "POST", "/v1/assessments", {"data": b'{"age": 50}', "headers": headers}
    for encoding in ["gzip", "deflate", "br", "identity, gzip"]:
        yield (
            f"encoding {encoding}",
            "POST",
            "/v1/assessments",
            {"data": b"{}", "headers": {**JSON, "Content-Encoding": encoding}},
        )


def _paths_and_methods():
    for method in ["PUT", "PATCH", "DELETE"]:
        yield f"method {method}", method, "/v1/assessments", {"json": BASE}
    paths = [
        "/v1/../etc/passwd",
        "/v1/assessments%00",
        "/v1/" + "a" * 3000,
        "/v1/é",
        "/%2e%2e/wsgi.py",
        "/docs/assets/..%2f..%2fetc/passwd",
        "/v1/assessments/batch/x",
        "/cds-services/unknown-service",
    ]
    for path in paths:
        yield f"path {path[:30]}", "GET", path, {}
    yield "method GET batch", "GET", "/v1/assessments/batch", {}


def _headers_and_auth():
    for value in [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer " + "k" * 5000,
        "bearer  spaced  key",
        "Token test-key-0123456789abcdef",
        "Bearer ünïcode",
    ]:
        yield (
            f"auth {value[:20]}",
            "POST",
            "/v1/assessments",
            {"json": BASE, "headers": {"Authorization": value}},
        )
    for value in ["a" * 500, "../../etc", "<script>", "id with spaces"]:
        yield (
            f"request-id {value[:12]}",
            "POST",
            "/v1/assessments",
            {"json": {"age": "x"}, "headers": {"X-Request-ID": value}},
        )
    many = {f"X-Extra-{i}": "v" * 100 for i in range(40)}
    yield "many headers", "POST", "/v1/assessments", {"json": {"age": "x"}, "headers": many}


def _chunked(size: int):
    """A body sent in chunks, without Content-Length: the limit applies while reading."""
    yield b'{"pad": "'
    for _ in range(size // 8192):
        yield b"x" * 8192
    yield b'"}'


def _other_endpoints():
    yield "chunked over limit", "POST", "/v1/assessments", {"data": _chunked(100_000), "headers": JSON}
    yield "chunked small", "POST", "/v1/assessments", {"data": _chunked(0), "headers": JSON}
    yield "batch too many", "POST", "/v1/assessments/batch", {"json": {"patients": [BASE] * 1001}}
    yield "batch not list", "POST", "/v1/assessments/batch", {"json": {"patients": "all"}}
    yield "fhir not bundle", "POST", "/v1/fhir/risk-assessments", {"json": {"resourceType": "Patient"}}
    yield "fhir bad date", "POST", "/v1/fhir/risk-assessments?date=2026-13-40", {"json": {}}
    yield (
        "fhir deep",
        "POST",
        "/v1/fhir/risk-assessments",
        {"data": b'{"a": ' * 40 + b"1" + b"}" * 40, "headers": JSON},
    )
    yield (
        "cds no context",
        "POST",
        "/cds-services/spinal-fusion-risk",
        {"json": {"hook": "patient-view", "hookInstance": "x"}},
    )
    yield (
        "cds ssrf",
        "POST",
        "/cds-services/spinal-fusion-risk",
        {
            "json": {
                "hook": "patient-view",
                "hookInstance": "x",
                "context": {"patientId": "p"},
                "fhirServer": "file:///etc/passwd",
            }
        },
    )
    yield (
        "cds bad prefetch",
        "POST",
        "/cds-services/spinal-fusion-risk",
        {
            "json": {
                "hook": "patient-view",
                "hookInstance": "x",
                "context": {"patientId": "p"},
                "prefetch": {"patient": [1]},
            }
        },
    )


JUNK_ENTRY = {"resource": {"resourceType": "Observation", "status": 1, "code": 1, "valueQuantity": 1}}
PATIENT_ENTRY = {"resource": {"resourceType": "Patient", "birthDate": "1960-01-01"}}


def _cds(**extra):
    return {"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "p"}, **extra}


def amplification():
    """Bodies within the size limits built to cost CPU or memory (each once took seconds to a minute)."""
    fhir = "/v1/fhir/risk-assessments"
    junk = [JUNK_ENTRY] * 18_000
    yield (
        "junk bundle 1.7 MB",
        "POST",
        fhir,
        {"json": {"resourceType": "Bundle", "entry": [PATIENT_ENTRY, *junk]}},
    )
    yield (
        "bundle over the entry cap",
        "POST",
        fhir,
        {"json": {"resourceType": "Bundle", "entry": [PATIENT_ENTRY] * 2001}},
    )
    yield (
        "junk at the end",
        "POST",
        fhir,
        {
            "json": {
                "resourceType": "Bundle",
                "entry": [PATIENT_ENTRY, *[{"resource": {"resourceType": "Basic"}}] * 1998, JUNK_ENTRY],
            }
        },
    )
    yield (
        "junk codings",
        "POST",
        fhir,
        {
            "json": {
                "resourceType": "Bundle",
                "entry": [
                    PATIENT_ENTRY,
                    {"resource": {"resourceType": "Condition", "code": {"coding": [1] * 300_000}}},
                ],
            }
        },
    )
    prefetch = {f"q{i}": {"resourceType": "Bundle", "entry": [JUNK_ENTRY] * 3000} for i in range(6)}
    yield "junk prefetch", "POST", "/cds-services/spinal-fusion-risk", {"json": _cds(prefetch=prefetch)}
    yield (
        "batch of 1.3 million",
        "POST",
        "/v1/assessments/batch",
        {"data": b'{"patients": [' + b"0," * 1_300_000 + b"0]}", "headers": JSON},
    )
    yield "batch of nested junk", "POST", "/v1/assessments/batch", {"json": {"patients": [[[[1]]]] * 1001}}


def _walkarounds():
    """Ways around the key or the allow-list (401 or 400, never the resource)."""
    for target in ("//v1/model", "///metrics", "//v1/assessments/batch", "/v1//model"):
        yield f"path {target}", "GET", target, {"headers": {"Authorization": ""}}
    for patient_id in ("..", ".", "p\n", "a/b", "%2e%2e"):
        yield (
            f"cds patient id {patient_id!r}",
            "POST",
            "/cds-services/spinal-fusion-risk",
            {"json": {**_cds(), "context": {"patientId": patient_id}}},
        )
    for server in (
        "http://u@127.0.0.1/fhir",
        "http://127.0.0.1/fhir#x",
        "http://127.0.0.1/fhir?x=1",
        "http://127.0.0.1/fhir\n",
    ):
        yield (
            f"cds server {server!r}",
            "POST",
            "/cds-services/spinal-fusion-risk",
            {"json": _cds(fhirServer=server)},
        )


CORPUS = [
    *_type_confusion(),
    *_bodies(),
    *_media_types(),
    *_paths_and_methods(),
    *_headers_and_auth(),
    *_other_endpoints(),
    *amplification(),
    *_walkarounds(),
]


def _odd_fhir():
    """Schema-valid bundles with odd values: read (values ignored and reported), never a 500."""
    from tests.helpers.fhir import ODD_BUT_VALID, bundle

    for name, change in ODD_BUT_VALID.items():
        yield f"fhir {name}", "POST", "/v1/fhir/risk-assessments", {"json": change(bundle("complete"))}
    for server in ("http://127.0.0.12/fhir", "http://10.0.0.1/fhir", "http://169.254.169.254/latest"):
        yield (
            f"cds server not allowed {server}",
            "POST",
            "/cds-services/spinal-fusion-risk",
            {"json": _cds(fhirServer=server)},
        )


SURVIVABLE = list(_odd_fhir())


@pytest.mark.parametrize(("name", "method", "path", "kwargs"), SURVIVABLE, ids=[c[0] for c in SURVIVABLE])
def test_odd_but_valid_requests_are_answered_never_a_5xx(live, name, method, path, kwargs):
    response = requests.request(method, live.url + path, headers=AUTH, timeout=10, **kwargs)
    assert response.status_code == 200, (response.status_code, response.text[:300])


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 100


@pytest.mark.parametrize(("name", "method", "path", "kwargs"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_request_gets_a_4xx_problem(live, name, method, path, kwargs):
    headers = {**AUTH, **kwargs.pop("headers", {})}
    response = requests.request(method, live.url + path, headers=headers, timeout=10, **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    expected = "application/fhir+json" if path.startswith("/v1/fhir/") else "application/problem+json"
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Traceback" not in response.text and response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",  # request line over the limit
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 9000 + b"\r\n\r\n",  # header over the limit
        b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(120)) + b"\r\n",  # too many
        b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"0\r\n\r\n",
        b"NOTAMETHOD / HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ids=[
        "long-line",
        "long-header",
        "many-headers",
        "negative-length",
        "smuggling",
        "bad-method",
    ],
)
def test_requests_gunicorn_refuses_never_reach_a_5xx(live, raw):
    """Malformed HTTP that gunicorn itself refuses (before the app): a 4xx, never a 5xx."""
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as connection:
        connection.sendall(raw)
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 4"), status_line
