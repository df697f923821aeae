"""A corpus of hostile requests against the real server: each a 4xx problem, never a 5xx."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import AUTH

BASE = ASSESSMENT_EXAMPLES["high"]["value"]
JSON = {"Content-Type": "application/json"}
WRONG_TYPES = ["65", True, None, [1], {"v": 1}, 70.5, 70.0, -1, 10**30, "NaN", ""]
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
        "key-twice": b'{"age": 70, "smoking": "never", "osteoporosis": false, "diabetes": false, '
        b'"levels_fused": 1, "obesity": false, "diabetes": true}',
        "key-twice-escaped": b'{"age": 70, "\\u0061ge": 19, "smoking": "never", "osteoporosis": false, '
        b'"diabetes": false, "levels_fused": 1, "obesity": false}',
        "key-twice-nested": b'{"age": 70, "smoking": "never", "osteoporosis": false, "diabetes": false, '
        b'"levels_fused": 1, "obesity": false, "symptoms": [], "symptoms": ["fever"]}',
        "integers-as-floats": b'{"age": 70.0, "smoking": "never", "osteoporosis": false, "diabetes": false, '
        b'"levels_fused": 1.0, "obesity": false}',
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


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
INTEGER_WITH_A_POINT = "Not a valid integer: write it without a decimal point (70, not 70.0)."


def _form_chunked_over_the_limit():
    """A form whose prefix says `diabetes=true` and whose end says `false`: never scored from a prefix."""
    yield b"age=70&smoking=current&osteoporosis=true&diabetes=true&levels_fused=6&obesity=true&pad="
    yield from (b"x" * 8192 for _ in range(9))
    yield b"&diabetes=false"


def _other_endpoints():
    yield "chunked over limit", "POST", "/v1/assessments", {"data": _chunked(100_000), "headers": JSON}
    yield (
        "form chunked over limit",
        "POST",
        "/report",
        {"data": _form_chunked_over_the_limit(), "headers": FORM},
    )
    yield "form not utf-8", "POST", "/report", {"data": b"age=%ff%fe", "headers": FORM}
    yield (
        "form from another origin",
        "POST",
        "/report",
        {"data": b"age=70", "headers": {**FORM, "Origin": "https://evil.example"}},
    )
    yield (
        "form from another site, any case",
        "POST",
        "/report",
        {"data": b"age=70", "headers": {**FORM, "Sec-Fetch-Site": "Cross-Site"}},
    )
    yield (
        "form from an opaque origin",
        "POST",
        "/report",
        {"data": b"age=70", "headers": {**FORM, "Origin": "null"}},
    )
    yield (
        "batch key twice",
        "POST",
        "/v1/assessments/batch",
        {"data": b'{"patients": [], "patients": []}', "headers": JSON},
    )
    yield (
        "fhir key twice",
        "POST",
        "/v1/fhir/risk-assessments",
        {"data": b'{"resourceType": "Bundle", "entry": [], "entry": []}', "headers": JSON},
    )
    yield "fhir levels as a float", "POST", "/v1/fhir/risk-assessments?levels_fused=2.0", {"json": {}}
    yield (
        "cds key twice",
        "POST",
        "/cds-services/spinal-fusion-risk",
        {
            "data": b'{"hook": "patient-view", "hook": "order-select", "hookInstance": "x", "context": {}}',
            "headers": JSON,
        },
    )
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


CODINGS = {"resourceType": "Condition", "code": {"coding": [{}] * 300}}


def compact(body) -> dict:
    """A body as compact JSON (requests' own encoding adds spaces: these must stay under the limit)."""
    return {"data": json.dumps(body, separators=(",", ":")).encode(), "headers": JSON}


def amplification():
    """Bodies within the size limits built to cost CPU or memory (each once took seconds to a minute)."""
    fhir = "/v1/fhir/risk-assessments"
    yield (
        "1.9 MB bundle, 2,000 entries of 300 codings, no Patient",
        "POST",
        fhir,
        compact({"resourceType": "Bundle", "entry": [{"resource": CODINGS}] * 2000}),
    )
    bad_last = [{"resource": CODINGS}] * 1999 + [{"resource": {"resourceType": 7}}]
    yield (
        "prefetch of 2,000 entries of 300 codings, the last malformed",
        "POST",
        "/cds-services/spinal-fusion-risk",
        compact(_cds(prefetch={"conditions": {"resourceType": "Bundle", "entry": bad_last}})),
    )
    twice_at_the_end = json.dumps({"patients": [BASE] * 999}, separators=(",", ":")).encode()[:-2]
    yield (
        "batch of 999 with a key twice in the last",
        "POST",
        "/v1/assessments/batch",
        {"data": twice_at_the_end + b',{"age":70,"age":71}]}', "headers": JSON},
    )
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
    # A batch answers each patient: the float for an integer is that patient's 422, the batch a 200.
    yield (
        "batch float for integer",
        "POST",
        "/v1/assessments/batch",
        {"json": {"patients": [{**BASE, "age": 70.0}]}},
    )
    prefetch = {"patient": {"resourceType": "Patient", "id": "p", "birthDate": "1950-01-01"}}
    for name, subject in {
        "by identifier": {"identifier": {"value": "p"}},
        "by display": {"display": "p"},
        "on another server": {"reference": "https://elsewhere.example/fhir/Patient/p"},
        "a version": {"reference": "Patient/p/_history/2"},
    }.items():
        smoker = {"resourceType": "Observation", "status": "final", "subject": subject}
        observations = {"resourceType": "Bundle", "entry": [{"resource": smoker}]}
        yield (
            f"cds subject {name}",
            "POST",
            "/cds-services/spinal-fusion-risk",
            {"json": _cds(prefetch={**prefetch, "observations": observations})},
        )
    for server in (
        "http://127.0.0.12/fhir",
        "http://10.0.0.1/fhir",
        "http://169.254.169.254/latest",
        "http://[64:ff9b::a9fe:a9fe]/latest",
        "http://[::ffff:169.254.169.254]/latest",
        "http://[2002:a9fe:a9fe::]/latest",
    ):
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
    if name == "batch float for integer":
        assert response.json()["results"][0]["error"]["errors"] == {"age": [INTEGER_WITH_A_POINT]}


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
