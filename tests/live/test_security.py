"""Security regressions on the real server: the key cannot be walked around, forwarder headers are
not trusted, labels stay bounded, and what gunicorn refuses is a problem with the usual headers."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from service.http.security import OPEN_ENDPOINTS
from tests.helpers import AUTH, BASE_PATIENT, TEST_KEY, make_app, metric
from tests.helpers.contract import PAGES
from tests.live.server import LiveServer, raw_exchange

# Every protected route, as the router knows it (so a new endpoint is covered the day it is added).
PROTECTED = sorted(
    (rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
    for rule in make_app().url_map.iter_rules()
    if rule.endpoint not in OPEN_ENDPOINTS and "<" not in rule.rule
)
SHAPES = ["//{p}", "///{p}", "/.//{p}", "//{p}/", "/{p}?x=1#f"]  # path spellings the router may fold
FORWARDED = ["SCRIPT_NAME: /", "SCRIPT_NAME: /v1", "PATH_INFO: /healthz", "X-Forwarded-Prefix: /"]


def request_bytes(method: str, target: str, *headers: str, body: bytes = b"{}") -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close"]
    if method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body if method == "POST" else b"")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("path", "method"), PROTECTED, ids=[p for p, _ in PROTECTED])
def test_no_path_spelling_reaches_a_protected_endpoint_without_a_key(live, path, method, shape):
    target = shape.format(p=path.lstrip("/"))
    status, headers, body = raw_exchange(live.port, request_bytes(method, target))
    assert status in (401, 404, 405), (target, status)
    if headers["Content-Type"].startswith("text/html"):  # the scoring page: its form, asking for the key
        assert path in PAGES and status == 401 and b'name="api_key"' in body, (target, status)
    else:
        assert headers["Content-Type"] in ("application/problem+json", "application/fhir+json")


@pytest.mark.parametrize("forwarded", FORWARDED)
@pytest.mark.parametrize(("path", "method"), PROTECTED, ids=[p for p, _ in PROTECTED])
def test_forwarder_headers_are_not_trusted(live, path, method, forwarded):
    status, _, _ = raw_exchange(live.port, request_bytes(method, path, forwarded))
    assert status == 401, (path, forwarded, status)


def test_the_key_still_opens_every_spelling(live):
    status, _, body = raw_exchange(live.port, request_bytes("GET", "//v1/model", AUTH_HEADER))
    assert status == 200 and json.loads(body)["version"]


AUTH_HEADER = f"Authorization: {AUTH['Authorization']}"


def test_invented_methods_do_not_grow_the_metrics(live, http):
    for index in range(60):  # letters only: the front refuses a method with a digit itself (400)
        method = f"FOO{chr(65 + index % 26)}{chr(65 + index // 26)}"
        raw_exchange(live.port, request_bytes(method, "/healthz"))
    text = http.get(f"{live.url}/metrics", timeout=10).text
    methods = {line.split('method="')[1].split('"')[0] for line in text.splitlines() if 'method="' in line}
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
    assert metric(text, "http_requests_total", endpoint="(unmatched)", method="other", status="405") >= 60


SERVER_REFUSALS = {
    "request line too long": (request_bytes("GET", "/healthz?q=" + "a" * 5000), 414),
    "too many headers": (request_bytes("GET", "/healthz", *(f"X-{i}: v" for i in range(60))), 431),
    "header too large": (request_bytes("GET", "/healthz", "X-Big: " + "v" * 9000), 431),
    "broken request line": (b"GET\x00/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
}


@pytest.mark.parametrize("case", SERVER_REFUSALS, ids=list(SERVER_REFUSALS))
def test_what_gunicorn_refuses_is_a_problem_with_the_security_headers(live, case):
    data, expected = SERVER_REFUSALS[case]
    status, headers, body = raw_exchange(live.port, data)
    assert status == expected
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["status"] == expected
    for name in ("X-Content-Type-Options", "Content-Security-Policy", "Cache-Control", "X-Request-ID"):
        assert name in headers


def test_refused_requests_leave_nothing_of_themselves_in_the_log():
    marker = "sentinelq7z"
    with LiveServer(workers=1, API_KEYS=AUTH["Authorization"].split()[1]) as server:
        raw_exchange(server.port, request_bytes("GET", f"/healthz?patient={marker}" + "a" * 5000))
        raw_exchange(server.port, request_bytes("GET", "/healthz", f"X-{marker}: 1", "X-Big: " + "v" * 9000))
        raw_exchange(server.port, f"G{marker}T / HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        requests.get(f"{server.url}/healthz", timeout=5)
        log = server.log()
    assert "invalid request" in log
    assert marker not in log


@pytest.mark.parametrize("keys", [",", " , ,", "   "])
def test_api_keys_that_hold_no_key_stop_the_service(keys):
    server = LiveServer(workers=1, API_KEYS=keys)
    with pytest.raises(RuntimeError, match="exited"):
        server.start()
    assert "API_KEYS" in server.log()


@pytest.mark.parametrize(("name", "value"), [("API_KEYS", "   "), ("CDS_FETCH_TIMEOUT", "inf")])
def test_the_deployed_service_refuses_to_start_on_a_bad_value_naming_it(name, value):
    server = LiveServer(workers=1, front=True, **{name: value})
    with pytest.raises(RuntimeError, match="exited"):
        server.start()
    assert name in server.log()


def chunked(*chunks: bytes, raw: bytes = b"") -> bytes:
    """A POST with a key and a chunked body (`raw`: framing written by hand)."""
    head = request_bytes("POST", "/v1/assessments", AUTH_HEADER, "Transfer-Encoding: chunked", body=b"")
    head = head.replace(b"Content-Length: 0\r\n", b"")
    framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    return head + (raw or framed)


PATIENT = json.dumps(BASE_PATIENT).encode()
CHUNKED = {
    "whole": (chunked(PATIENT[:20], PATIENT[20:]), 200),
    "over the limit, valid prefix": (chunked(PATIENT, *[b" " * 8192] * 9), 413),
    "object and garbage": (chunked(PATIENT, b"garbage"), 400),
    "broken size": (chunked(raw=b"zz\r\n{}\r\n0\r\n\r\n"), 400),
    "missing terminator": (chunked(raw=b"2\r\n{}XX0\r\n\r\n"), 400),
}


@pytest.mark.parametrize("case", CHUNKED, ids=list(CHUNKED))
def test_chunked_bodies_are_read_whole_or_refused(live, case):
    data, expected = CHUNKED[case]
    status, headers, body = raw_exchange(live.port, data)
    assert status == expected, body
    assert headers["Content-Type"] == ("application/json" if expected == 200 else "application/problem+json")


@pytest.fixture(scope="module")
def alone():
    """gunicorn alone, as `make run` serves: its own refusals, without the front's."""
    with LiveServer(workers=1, API_KEYS=AUTH["Authorization"].split()[1]) as server:
        yield server


UNUSUAL = {
    "HTTP/1.7": (b"GET /healthz HTTP/1.7\r\nHost: x\r\n\r\n", 505),
    "HTTP/1.2": (b"GET /healthz HTTP/1.2\r\nHost: x\r\n\r\n", 505),
    "identity, chunked": (chunked(PATIENT).replace(b"chunked", b"identity, chunked", 1), 501),
    "gzip, chunked": (chunked(PATIENT).replace(b"chunked", b"gzip, chunked", 1), 501),
}


@pytest.mark.parametrize("server", ["live", "alone"], ids=["deployed", "gunicorn-alone"])
@pytest.mark.parametrize("case", UNUSUAL, ids=list(UNUSUAL))
def test_only_http_1_0_and_1_1_and_exactly_chunked_are_spoken(request, server, case):
    """Deployed, the front refuses them; gunicorn alone refuses them too (it let them through): a
    problem document, the status saying why, and never the client's version echoed."""
    port = request.getfixturevalue(server).port
    data, expected = UNUSUAL[case]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 %d " % expected), answer[:200]
    assert b"application/problem+json" in answer.split(b"\r\n\r\n")[0]


def test_what_the_client_caused_is_a_warning_without_a_trace():
    with LiveServer(workers=1, API_KEYS=AUTH["Authorization"].split()[1]) as server:
        raw_exchange(server.port, chunked(PATIENT).replace(b"chunked", b"gzip, chunked", 1))
        raw_exchange(server.port, b"GET /healthz HTTP/1.7\r\nHost: x\r\n\r\n")
        requests.get(f"{server.url}/healthz", timeout=5)
        lines = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    refused = [line for line in lines if line.get("message") == "invalid request"]
    assert {line["status"] for line in refused} == {501, 505}
    assert all(line["level"] == "WARNING" and "stack" not in line for line in refused)
    assert not [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("server", ["live", "alone"], ids=["deployed", "gunicorn-alone"])
def test_a_chunked_form_past_the_limit_is_refused_never_scored_from_its_prefix(request, server):
    port = request.getfixturevalue(server).port
    form = b"age=70&smoking=current&osteoporosis=true&diabetes=true&levels_fused=6&obesity=true"
    body = form + b"&pad=" + b"x" * 70_000 + b"&diabetes=false&api_key=" + TEST_KEY.encode()
    head = request_bytes("POST", "/report", "Transfer-Encoding: chunked", body=b"").replace(
        b"Content-Type: application/json\r\nContent-Length: 0\r\n", f"Content-Type: {FORM}\r\n".encode()
    )
    framed = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:40_000], body[40_000:]))
    status, headers, answer = raw_exchange(port, head + framed + b"0\r\n\r\n")
    assert status == 413 and headers["Content-Type"] == "application/problem+json", answer[:200]


def test_the_front_takes_an_upload_up_to_its_page_s_limit(live):
    """The CSV page reads up to MAX_UPLOAD_BYTES: the front's limit for it is the same, not 64 KiB."""
    from service.http.forms import MAX_UPLOAD_BYTES

    rows = "patient_id,age,smoking,osteoporosis,diabetes,levels_fused,obesity\n"
    rows += "p1,70,current,true,true,6,true\n" * 4000  # about 124 KB, under the page's 5,000 rows
    assert len(rows) < MAX_UPLOAD_BYTES
    files = {"file": ("patients.csv", rows.encode(), "text/csv")}
    response = requests.post(f"{live.url}/score-file", files=files, data={"api_key": TEST_KEY}, timeout=30)
    assert len(rows) > 64 * 1024 and response.status_code == 200, response.text[:300]
