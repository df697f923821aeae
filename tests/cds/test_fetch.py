"""Outbound fetches: which servers may be called (parsed, never by prefix) and how much a call may
take (a wall-clock deadline, byte caps, pages), against misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import errno
import gzip
import json
import time

import pytest

from service.cds import fetch as fetch_module
from service.cds.fetch import AllowList, FetchError, bounded_get, parse_base
from service.cds.gather import Fetcher, Limits
from service.config import ConfigError
from tests.helpers import make_app
from tests.helpers.cds import FhirServer
from tests.live.server import free_port

ALLOWED = AllowList(["https://ehr.example/fhir", "http://127.0.0.1:8080/fhir/R4"])


@pytest.mark.parametrize(
    "url",
    [
        "https://ehr.example/fhir",
        "https://EHR.example:443/fhir/",
        "https://ehr.example/fhir/Patient/1",
        "https://ehr.example//fhir",
        "http://127.0.0.1:8080/fhir/R4",
    ],
)
def test_urls_inside_an_allowed_base(url):
    assert ALLOWED.address(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://allowed@ehr.example/fhir",  # userinfo
        "https://ehr.example@evil.example/fhir",
        "https://ehr.example.evil.example/fhir",
        "http://ehr.example/fhir",  # another scheme
        "https://ehr.example:8443/fhir",  # another port
        "https://ehr.example/fhirx",  # not on a segment boundary
        "https://ehr.example/fhir/../admin",  # dot segments
        "https://ehr.example/fhir/%2e%2e/admin",
        "https://ehr.example/fhir/a%2fb",
        "https://ehr.example/fhir#frag",
        "https://ehr.example/fhir?x=1",
        "http://127.0.0.12:8080/fhir/R4",  # a prefix of the host is not the host
        "http://127.0.0.1:8080/fhir/R",
        "http://127.0.0.1:80801/fhir/R4",  # a port out of range
        "https://ehr.example/fhir\\..\\admin",
        "https://ehr.example/fhir\n",
        "ftp://ehr.example/fhir",
        "https:///fhir",
    ],
)
def test_urls_outside_every_allowed_base(url):
    assert ALLOWED.address(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/fhir",
        "http://localhost/fhir",
        "http://10.1.2.3/fhir",
        "http://192.168.0.4/fhir",
        "http://169.254.169.254/latest",
        "http://[::1]/fhir",
        "http://0.0.0.0/fhir",
    ],
)
def test_any_server_still_refuses_private_and_local_addresses(url):
    assert AllowList(["*"]).address(url) is None


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64: 127.0.0.1
        "64:ff9b:1::a00:1",  # local-use NAT64: 10.0.0.1
        "2002:7f00:1::1",  # 6to4: 127.0.0.1
        "::7f00:1",  # IPv4-compatible: 127.0.0.1
        "::808:808",  # IPv4-compatible, even of a public IPv4 address
        "::ffff:8.8.8.8",  # IPv4-mapped
        "3fff::1",  # documentation
        "5f00::1",  # SRv6
    ],
)
def test_any_server_refuses_every_special_purpose_ipv6_range(address):
    assert AllowList(["*"]).address(f"http://[{address}]/fhir") is None


def test_any_server_refuses_a_name_with_one_special_address_among_public_ones(monkeypatch):
    found = [(0, 0, 0, "", ("2606:4700::1111", 80, 0, 0)), (0, 0, 0, "", ("64:ff9b::a9fe:a9fe", 80, 0, 0))]
    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", lambda *args, **kwargs: found)
    assert AllowList(["*"]).address("http://fhir.example/fhir") is None


def test_any_server_pins_the_checked_public_address():
    base, address = AllowList(["*"]).address("https://93.184.216.34/fhir")
    assert (base.host, address) == ("93.184.216.34", "93.184.216.34")


@pytest.mark.parametrize("entry", ["ehr.example/fhir", "https://u@ehr.example", "https://ehr.example/a/../b"])
def test_a_bad_allowed_server_stops_the_start(entry):
    with pytest.raises(ConfigError, match="CDS_FHIR_SERVERS"):
        make_app(CDS_FHIR_SERVERS=(entry,))


def drip(handler):
    """Send headers, then one byte every 0.2 s (bounded: 10 s at most)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/fhir+json")
    handler.end_headers()
    for _ in range(50):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)
    return True


def flood(handler):
    """Stream 8 MB without a declared length."""
    handler.send_response(200)
    handler.end_headers()
    for _ in range(128):
        handler.wfile.write(b" " * 65536)
    return True


def answer(status=200, body=b"{}", **headers):
    def misbehave(handler):
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return True

    return misbehave


def test_a_dripping_server_is_cut_at_the_deadline():
    with FhirServer([], misbehave=drip) as server:
        started = time.monotonic()
        with pytest.raises(FetchError, match="budget"):
            bounded_get(parse_base(server.base), "/fhir/Patient/1", {}, time.monotonic() + 1.0, 10**6)
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("misbehave", "reason"),
    [
        (flood, "size"),
        (answer(body=b" " * 3_000_000), "size"),  # declared over the cap
        (answer(status=302, Location="http://10.0.0.1/"), "status"),  # redirects are not followed
        (answer(body=gzip.compress(b"{}"), Content_Encoding="gzip"), "encoding"),
        (answer(status=500), "status"),
    ],
    ids=["flood", "declared-too-large", "redirect", "compressed", "error"],
)
def test_misbehaving_answers_are_refused(misbehave, reason):
    with FhirServer([], misbehave=misbehave) as server, pytest.raises(FetchError, match=reason):
        bounded_get(parse_base(server.base), "/fhir/x", {}, time.monotonic() + 5, 2_000_000)


LIMITS = Limits(
    timeout=2, budget=3, max_bytes=2_000_000, max_total_bytes=8_000_000, max_depth=32, max_pages=3
)


def fetch(server, queries, limits=LIMITS, token="t0k3n"):
    return Fetcher(AllowList([server.base]), limits).fetch(server.base, token, queries)


def test_a_field_given_twice_in_a_fetched_answer_is_refused_and_reported():
    twice = b'{"resourceType": "Patient", "id": "p", "birthDate": "1950-01-01", "birthDate": "2010-01-01"}'
    with FhirServer([], misbehave=answer(body=twice)) as server:
        fetched = fetch(server, {"patient": "Patient/p"})
    assert fetched.incomplete == {"malformed"} and fetched.values == {}


def test_deep_nesting_is_refused_and_reported():
    deep = b'{"a":' * 100 + b"1" + b"}" * 100
    with FhirServer([], misbehave=answer(body=deep)) as server:
        fetched = fetch(server, {"patient": "Patient/p"})
    assert fetched.values == {} and fetched.incomplete == {"malformed"}


def test_pages_are_followed_up_to_the_cap_and_the_rest_reported():
    observations = [{"resourceType": "Observation", "id": f"o{i}", "status": "final"} for i in range(10)]
    with FhirServer(observations, page_size=3) as server:
        fetched = fetch(server, {"observations": "Observation?patient=p"})
    assert [e["resource"]["id"] for e in fetched.values["observations"]["entry"]] == [
        f"o{i}" for i in range(9)
    ]
    assert fetched.incomplete == {"pages"}
    assert {auth for _, auth in server.requests} == {"Bearer t0k3n"}


def test_a_next_link_to_another_server_is_not_followed():
    page = {
        "resourceType": "Bundle",
        "entry": [],
        "link": [{"relation": "next", "url": "http://10.0.0.1/fhir/x"}],
    }
    with FhirServer([], misbehave=answer(body=json.dumps(page).encode())) as server:
        fetched = fetch(server, {"observations": "Observation?patient=p"})
    assert fetched.incomplete == {"link"} and len(server.requests) == 1


def test_the_budget_covers_every_request_of_the_call():
    with FhirServer([], misbehave=drip) as server:
        started = time.monotonic()
        fetched = fetch(server, {f"q{i}": f"Observation?i={i}" for i in range(5)})
        assert time.monotonic() - started < LIMITS.budget + 0.5
    assert "budget" in fetched.incomplete


def test_a_server_off_the_list_is_never_called():
    with FhirServer([]) as server:
        fetched = Fetcher(AllowList(["https://ehr.example/fhir"]), LIMITS).fetch(
            server.base, "t", {"p": "Patient/1"}
        )
    assert fetched.incomplete == {"not_allowed"} and server.requests == []


def pinned(monkeypatch, address="127.0.0.1"):
    """`*` mode with the public address check answering `address` (only 127.0.0.1 is reachable here)."""
    monkeypatch.setattr(fetch_module, "_global_address", lambda host, port: address)
    return Fetcher(AllowList(["*"]), LIMITS)


def test_a_refused_connection_under_any_server_is_reported_not_raised(monkeypatch):
    fetched = pinned(monkeypatch).fetch(f"http://fhir.example:{free_port()}/fhir", "t", {"p": "Patient/1"})
    assert fetched.incomplete == {"network"} and fetched.values == {}


def test_an_unreachable_server_under_any_server_is_reported_not_raised(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    fetcher = pinned(monkeypatch)
    monkeypatch.setattr(fetch_module.socket, "create_connection", unreachable)
    assert fetcher.fetch("https://fhir.example/fhir", "t", {"p": "Patient/1"}).incomplete == {"network"}


def test_a_failed_tls_handshake_under_any_server_is_reported_not_raised(monkeypatch):
    with FhirServer([]) as server:  # plain HTTP where TLS is expected
        port = server.base.split(":")[2].split("/")[0]
        fetched = pinned(monkeypatch).fetch(f"https://fhir.example:{port}/fhir", "t", {"p": "Patient/1"})
    assert fetched.incomplete == {"network"}


def test_a_server_that_cannot_be_reached_is_a_card_never_a_500(monkeypatch):
    from tests.helpers.cds import call

    monkeypatch.setattr(fetch_module, "_global_address", lambda host, port: "127.0.0.1")
    app = make_app(CDS_FHIR_SERVERS=("*",), CDS_PATIENT_VIEW_NEEDS_FUSION=False)
    body = call("sparse", fhirServer=f"https://fhir.example:{free_port()}/fhir")
    response = app.test_client().post("/cds-services/spinal-fusion-risk", json=body)
    assert response.status_code == 200
    assert "could not be reached" in response.get_json()["cards"][-1]["detail"]
