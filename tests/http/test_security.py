"""Who may call what: the gate decides by the matched endpoint and denies by default."""

from __future__ import annotations

import io

import pytest
from werkzeug.exceptions import RequestEntityTooLarge, RequestTimeout
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service.config import ConfigError, from_environ
from service.http.body import MalformedBody, read_body
from service.http.security import OPEN_ENDPOINTS, Gate, check_open_endpoints
from service.services import services
from tests.helpers import make_app, make_patient, problem_of


@pytest.fixture(scope="module")
def rules():
    return list(make_app().url_map.iter_rules())


def anonymous(app):
    client = app.test_client()
    del client.environ_base["HTTP_AUTHORIZATION"]  # the contract client sends a key by default
    return client


ASSETS = {"docs.swagger_asset": "swagger-ui.css", "clinician.asset": "pages.css"}  # a file each serves


def call(client, rule, **kwargs):
    path = rule.rule.replace("<path:filename>", ASSETS.get(rule.endpoint, ""))
    method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
    return client.open(path, method=method, **kwargs)


def test_the_open_list_is_health_readiness_docs_contract_discovery_conformance_pages_scoring_nothing():
    assert {
        "operations.healthz",
        "cds.discover",
        "fhir_conformance.metadata",  # FHIR conformance: no patient data (FHIR clients read it first)
        "fhir_conformance.codes",
        "fhir_conformance.extension",
        "fhir_conformance.definition",
        "operations.readyz",
        "api-docs.openapi_json",
        "api-docs.openapi_swagger_ui",
        "docs.openapi_yaml",
        "docs.swagger_asset",
        "docs.favicon",
        "clinician.form",
        "clinician.model_card",
        "clinician.asset",
        "clinician.score_file_form",  # the upload form only: POST /score-file scores, and needs the key
    } == OPEN_ENDPOINTS


def test_every_other_endpoint_needs_the_key(app, rules):
    client = anonymous(app)
    protected = [rule for rule in rules if rule.endpoint not in OPEN_ENDPOINTS]
    assert len(protected) >= 7
    for rule in protected:
        response = call(client, rule, json={})
        assert response.status_code == 401, rule.endpoint
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="spinal-fusion-risk"'


def test_open_endpoints_answer_without_a_key(app, rules):
    client = anonymous(app)
    for rule in rules:
        if rule.endpoint in OPEN_ENDPOINTS:
            response = call(client, rule)
            assert response.status_code == 200, rule.endpoint
            response.close()


def test_an_endpoint_added_later_is_protected_by_default():
    app = make_app(FAST_LANE=False)
    app.add_url_rule("/v1/added", "added", lambda: "reached")
    assert anonymous(app).get("/v1/added").status_code == 401
    assert app.test_client().get("/v1/added").data == b"reached"


def test_the_fast_lane_asks_the_same_gate(app):
    endpoint = app.wsgi_app.assessment_endpoint
    assert endpoint is services(app).assessment_endpoint and endpoint.gate is services(app).gate
    problem = problem_of(anonymous(app).post("/v1/assessments", json=make_patient()), 401)
    assert problem["detail"].startswith("Send a valid API key")


def test_a_wrong_key_says_invalid_token():
    gate = Gate(services(make_app()).gate.keys)
    refusal = gate.refusal("assessments.create_assessment", "Bearer nope-nope-nope-nope")
    assert dict(refusal.get_headers())["WWW-Authenticate"].endswith('error="invalid_token"')
    assert gate.refusal("operations.healthz", None) is None


def test_an_open_endpoint_that_no_route_serves_stops_the_start():
    app = make_app()
    gate = Gate(services(app).gate.keys, OPEN_ENDPOINTS | {"docs.renamed"})
    with pytest.raises(RuntimeError, match=r"docs\.renamed"):
        check_open_endpoints(app, gate)


@pytest.mark.parametrize("value", [",", " , ,", ",,,"])
def test_api_keys_set_to_nothing_refuse_to_start(value):
    with pytest.raises(ConfigError, match="API_KEYS"):
        from_environ({"API_KEYS": value})


class BrokenStream(io.BytesIO):
    """A server's chunk decoder meeting a malformed chunk."""

    def read(self, size=-1):
        raise ValueError("Invalid chunk size")


class SlowStream(io.BytesIO):
    """The worker's socket when the client took too long."""

    def read(self, size=-1):
        raise TimeoutError


CHUNKED = {"HTTP_TRANSFER_ENCODING": "chunked"}


@pytest.mark.parametrize(
    ("environ", "error"),
    [
        ({**CHUNKED, "wsgi.input": io.BytesIO(b'{"age": 50}' + b" " * 70_000)}, RequestEntityTooLarge),
        ({**CHUNKED, "wsgi.input": BrokenStream()}, MalformedBody),
        ({**CHUNKED, "wsgi.input": SlowStream()}, RequestTimeout),
        ({"CONTENT_LENGTH": "40", "wsgi.input": io.BytesIO(b"{}")}, MalformedBody),
        ({"CONTENT_LENGTH": "70000", "wsgi.input": BrokenStream()}, RequestEntityTooLarge),
    ],
    ids=[
        "chunked-over-the-limit",
        "broken-framing",
        "too-slow",
        "shorter-than-declared",
        "declared-too-large",
    ],
)
def test_bodies_are_read_whole_or_refused(environ, error):
    with pytest.raises(error):
        read_body(environ, 65536)


@pytest.mark.parametrize("chunks", [[b"{}"], [b'{"a"', b": 1}"], []])
def test_a_chunked_body_within_the_limit_is_read_whole(chunks):
    environ = {**CHUNKED, "wsgi.input": io.BytesIO(b"".join(chunks))}
    assert read_body(environ, 64) == b"".join(chunks)


def test_vary_origin_whenever_cors_is_on():
    app = make_app(CORS_ORIGINS=("https://ehr.example",))
    for headers in ({}, {"Origin": "https://evil.example"}, {"Origin": "https://ehr.example"}):
        response = app.test_client().get("/healthz", headers=headers)
        assert "Origin" in response.headers.get("Vary", ""), headers
    assert "Vary" not in make_app().test_client().get("/healthz", headers={"Origin": "https://x"}).headers


@pytest.mark.parametrize("path", ["/v1//model", "/v1//model?x=1"])
def test_redirects_name_the_path_alone_never_the_host_sent(path):
    """The router's redirect for a doubled slash: a relative Location, nothing of the Host header."""
    environ = EnvironBuilder(path="/", headers={"Host": "evil.example"}).get_environ()
    environ["PATH_INFO"], _, environ["QUERY_STRING"] = path.partition("?")
    body, status, headers = run_wsgi_app(make_app(), environ, buffered=True)
    assert status.startswith("308") and headers["Location"] == path.replace("//", "/")
    assert b"evil.example" not in b"".join(body)
