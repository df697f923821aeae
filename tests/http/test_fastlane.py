"""The fast lane answers exactly as the Flask app would, and only what it can answer.

Two apps side by side, the lane on and off, get the same requests (with the same request id):
status, headers and body must be identical, byte for byte. A counter on the Flask app shows
which requests the lane answered itself.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings

from service.http.lane import HookRefused
from service.services import services
from tests.helpers import TEST_KEY, make_app, make_patient
from tests.helpers.strategies import patients

URL = "/v1/assessments"
SAME_ID = "5a3e0c1e-96d8-4f2b-8f5e-3c1d2b4a6e70"  # the caller's id, echoed by both paths alike
AUTH = {"Authorization": f"Bearer {TEST_KEY}", "X-Request-ID": SAME_ID}


class CountingFlask:
    """Stand between the Envelope and the Flask app, counting the requests that reach Flask."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.wsgi_app(environ, start_response)


@pytest.fixture(scope="module")
def apps():
    lane, plain = make_app(), make_app(FAST_LANE=False)
    assert lane.wsgi_app.lane is not None and plain.wsgi_app.lane is None
    lane.wsgi_app.wsgi_app = counter = CountingFlask(lane.wsgi_app.wsgi_app)
    return lane, plain, counter


def exchange(app, anonymous=False, **kwargs):
    client = app.test_client()
    if anonymous:
        del client.environ_base["HTTP_AUTHORIZATION"]  # the contract client sends a key by default
    response = client.post(URL, **kwargs)
    return response.status, list(response.headers.items()), response.get_data()


def same_answer(apps, **kwargs):
    """Post to both apps; return the (identical) answer and whether the lane served it."""
    lane, plain, counter = apps
    before = counter.calls
    fast = exchange(lane, **kwargs)
    assert fast == exchange(plain, **kwargs)
    return fast, counter.calls == before


@given(patient=patients())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_valid_patients_are_answered_by_the_lane_identically(apps, patient):
    (status, _, body), served = same_answer(apps, json=patient, headers=AUTH)
    assert status == "200 OK"
    assert served
    assert json.loads(body)["model"]["version"]


def test_cors_and_fresh_request_ids_on_the_lane():
    lane, plain = (
        make_app(CORS_ORIGINS=("https://ehr.example",)),
        make_app(CORS_ORIGINS=("https://ehr.example",), FAST_LANE=False),
    )
    headers = {**AUTH, "Origin": "https://ehr.example"}
    assert exchange(lane, json=make_patient(), headers=headers) == exchange(
        plain, json=make_patient(), headers=headers
    )
    response = lane.test_client().post(URL, json=make_patient())
    assert response.status_code == 200
    assert len(response.headers["X-Request-ID"]) == 32  # a new id, as the Flask path gives


ERRORS = {
    "no key": {"json": make_patient(), "headers": {"X-Request-ID": SAME_ID}, "anonymous": True},
    "wrong key": {
        "json": make_patient(),
        "headers": {**AUTH, "Authorization": "Bearer wrong-key-0123456789"},
    },
    "invalid value": {"json": make_patient(age=-1), "headers": AUTH},
    "unknown field": {"json": make_patient(shoe_size=44), "headers": AUTH},
    "missing field": {"json": {"age": 50}, "headers": AUTH},
    "cross-field conflict": {
        "json": make_patient(bmi=31.0, height_cm=170.0, weight_kg=90.0),
        "headers": AUTH,
    },
    "not JSON": {"data": b"{", "content_type": "application/json", "headers": AUTH},
    "not an object": {"data": b"[1]", "content_type": "application/json", "headers": AUTH},
    "too deep": {"data": b"[" * 40 + b"]" * 40, "content_type": "application/json", "headers": AUTH},
    "NaN": {"data": b'{"age": NaN}', "content_type": "application/json", "headers": AUTH},
    "text/plain": {"data": json.dumps(make_patient()), "content_type": "text/plain", "headers": AUTH},
    "compressed": {"json": make_patient(), "headers": {**AUTH, "Content-Encoding": "gzip"}},
    "too large": {"data": b" " * (64 * 1024 + 1), "content_type": "application/json", "headers": AUTH},
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_errors_are_left_to_flask_and_answered_identically(apps, case):
    (status, _, body), served = same_answer(apps, **ERRORS[case])
    assert status[:1] == "4", (status, body)
    assert not served


class StalledBody(io.BytesIO):
    """A body whose client stopped sending: reading it times out, as gunicorn's deadline does."""

    def __init__(self):
        super().__init__(b" " * 100)

    def read(self, size=-1):
        raise TimeoutError


@pytest.mark.parametrize(
    "stream", [StalledBody, lambda: io.BytesIO(b'{"age": 5')], ids=["too slow", "cut short"]
)
def test_a_body_that_cannot_be_read_gets_the_same_answer_on_both_paths(apps, stream):
    """Too slow is 408 and cut short is 400, whichever path first tried to read it."""
    kwargs = {"content_type": "application/json", "content_length": 100, "headers": AUTH}
    lane, plain, _ = apps
    fast = exchange(lane, input_stream=stream(), **kwargs)
    assert fast == exchange(plain, input_stream=stream(), **kwargs)
    assert fast[0] == ("408 REQUEST TIMEOUT" if stream is StalledBody else "400 BAD REQUEST")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content_type": "application/json; charset=utf-8"},  # valid, but not the exact header
        {  # as werkzeug's own server passes a chunked body
            "content_type": "application/json",
            "headers": {**AUTH, "Transfer-Encoding": "chunked"},
            "environ_overrides": {"wsgi.input_terminated": True},
        },
    ],
    ids=["charset parameter", "chunked"],
)
def test_unusual_valid_requests_go_through_flask_with_the_same_answer(apps, kwargs):
    body = json.dumps(make_patient(smoking="current")).encode()
    (status, _, answer), served = same_answer(apps, data=body, **{"headers": AUTH, **kwargs})
    assert status == "200 OK"
    assert not served
    assert json.loads(answer)["outcomes"]["pseudarthrosis"]["points"] > 0


def test_a_failure_inside_the_lane_falls_back_to_flask_with_the_body_intact(apps):
    lane, _, counter = apps
    endpoint = services(lane).assessments
    assessor = endpoint.assess
    calls = []

    def once_failing(patient):  # fails in the lane, succeeds when Flask retries
        calls.append(patient)
        if len(calls) == 1:
            raise RuntimeError("transient")
        return assessor(patient)

    endpoint.assess = once_failing
    before = counter.calls
    try:
        status, _, body = exchange(lane, json=make_patient(age=70), headers=AUTH)
    finally:
        endpoint.assess = assessor
    assert status == "200 OK" and counter.calls == before + 1
    assert calls[0] == calls[1]  # Flask read the same body the lane had consumed
    assert json.loads(body) == assessor(calls[0])


@pytest.mark.parametrize(
    "register",
    [
        lambda app: app.before_request(lambda: None),
        lambda app: app.after_request(lambda response: response),
        lambda app: app.teardown_request(lambda error: None),
        lambda app: app.url_value_preprocessor(lambda endpoint, values: None),
        lambda app: app.teardown_appcontext(lambda error: None),
    ],
    ids=[
        "before_request",
        "after_request",
        "teardown_request",
        "url_value_preprocessor",
        "teardown_appcontext",
    ],
)
def test_a_hook_added_after_create_app_is_refused_while_the_lane_is_on(register):
    with pytest.raises(HookRefused, match="fast lane"):
        register(make_app())


def test_without_the_lane_hooks_may_be_added_and_run_on_every_request():
    app = make_app(FAST_LANE=False)
    calls = []
    app.before_request(lambda: calls.append(1))
    assert app.test_client().post(URL, json=make_patient(), headers=AUTH).status_code == 200
    assert calls == [1]


def test_the_lane_refuses_to_start_on_a_route_its_view_no_longer_owns(apps):
    """Renamed or moved, the view would keep the lane answering its old path with its old policy."""
    from werkzeug.routing import Map, Rule

    endpoint = services(apps[0]).assessments
    endpoint.check_routed(Map([Rule(endpoint.route, endpoint=endpoint.name, methods=["POST"])]))
    moved = Map([Rule("/v2/assessments", endpoint=endpoint.name, methods=["POST"])])
    renamed = Map([Rule(endpoint.route, endpoint="assessments.score", methods=["POST"])])
    for routing in (moved, renamed):
        with pytest.raises(RuntimeError, match="fast lane"):
            endpoint.check_routed(routing)
