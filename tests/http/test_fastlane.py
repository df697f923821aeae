"""The fast lane answers exactly as the Flask app would, and only what it can answer.

Two apps side by side, the lane on and off, get the same requests (with the same request id):
status, headers and body must be identical, byte for byte. A counter on the Flask app shows
which requests the lane answered itself.
"""

from __future__ import annotations

import gzip
import io
import json

import pytest
from flask import Flask, Response, request
from flask.testing import FlaskClient
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
    assert lane.wsgi_app.assessment_endpoint is not None and plain.wsgi_app.assessment_endpoint is None
    lane.wsgi_app.wsgi_app = counter = CountingFlask(lane.wsgi_app.wsgi_app)
    return lane, plain, counter


def exchange(app, anonymous=False, path=URL, uncontracted=False, **kwargs):
    """Return the status, headers and body of a POST (the request id is the same on both apps);
    `uncontracted`: an exchange the contract does not describe (a CSV answer, a SCRIPT_NAME)."""
    client = FlaskClient(app, app.response_class) if uncontracted else app.test_client()
    if anonymous:
        del client.environ_base["HTTP_AUTHORIZATION"]  # the contract client sends a key by default
    response = client.post(path, **kwargs)
    return response.status, list(response.headers.items()), response.get_data()


def same_answer(apps, **kwargs):
    """Post to both apps; return the (identical) answer and whether the lane served it."""
    lane, plain, counter = apps
    before = counter.calls
    fast = exchange(lane, **kwargs)
    assert fast == exchange(plain, **kwargs)
    return fast, counter.calls == before


@pytest.mark.slow  # 150 generated patients through two apps
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


VALID = json.dumps(make_patient(smoking="current")).encode()
JSON_BODY = {"data": VALID, "content_type": "application/json"}


def ask(accept=None, query="", **changes):
    """One request of the table: a valid patient with the key, changed by `changes`."""
    kwargs = {**JSON_BODY, "headers": {**AUTH, **({"Accept": accept} if accept is not None else {})}}
    return {**kwargs, "query_string": query, **changes}


# Every request below goes to both apps; `True`: the lane answers it itself, `False`: it hands it to
# Flask. Whatever a view could ever read differently (a query, an Accept, an encoding) goes to Flask.
REQUESTS = {
    "valid": (ask(), True),
    "Accept: application/json": (ask("application/json"), True),
    "Accept: */*": (ask("*/*"), True),
    "Accept: JSON or anything": (ask("application/json, */*;q=0.1"), True),
    "Accept: JSON in capitals": (ask("Application/JSON"), True),
    "Accept: text/csv": (ask("text/csv"), False),
    "Accept: CSV preferred": (ask("text/csv, application/json;q=0.5"), False),
    "Accept: JSON refused": (ask("application/json;q=0, */*"), False),
    "Accept: anything refused": (ask("*/*;q=0"), False),
    "Accept: application/*": (ask("application/*"), False),
    "Accept: text/html": (ask("text/html"), False),
    "Accept: JSON with a parameter": (ask("application/json; charset=utf-8"), False),
    "Accept: empty": (ask(""), False),
    "Accept: application/jsonx (no prefix match)": (ask("application/jsonx"), False),
    "query string": (ask(query="view=summary"), False),
    "empty query value": (ask(query="x"), False),
    "Accept-Encoding: gzip": (ask(headers={**AUTH, "Accept-Encoding": "gzip"}), True),
    "no key": (ask(headers={"X-Request-ID": SAME_ID}, anonymous=True), False),
    "wrong key": (ask(headers={**AUTH, "Authorization": "Bearer wrong-key-0123456789"}), False),
    "invalid value": (ask(data=json.dumps(make_patient(age=-1))), False),
    "unknown field": (ask(data=json.dumps(make_patient(shoe_size=44))), False),
    "missing field": (ask(data=b'{"age": 50}'), False),
    "cross-field conflict": (
        ask(data=json.dumps(make_patient(bmi=31.0, height_cm=170.0, weight_kg=90.0))),
        False,
    ),
    "a key twice": (ask(data=VALID[:-1] + b', "age": 71}'), False),
    "a float for an integer": (ask(data=json.dumps(make_patient(age=70.0))), False),
    "not JSON": (ask(data=b"{"), False),
    "not an object": (ask(data=b"[1]"), False),
    "too deep": (ask(data=b"[" * 40 + b"]" * 40), False),
    "NaN": (ask(data=b'{"age": NaN}'), False),
    "UTF-16": (ask(data=VALID.decode().encode("utf-16")), False),
    "too large": (ask(data=b" " * (64 * 1024 + 1)), False),
    "text/plain": (ask(content_type="text/plain"), False),
    "charset parameter": (ask(content_type="application/json; charset=utf-8"), False),
    "Content-Encoding: gzip": (
        ask(data=gzip.compress(VALID), headers={**AUTH, "Content-Encoding": "gzip"}),
        False,
    ),
    "chunked": (  # as werkzeug's own server passes a chunked body
        ask(
            headers={**AUTH, "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        ),
        False,
    ),
    "a trailing slash": (ask(path=URL + "/"), False),
    "a doubled slash": (ask(path="/v1//assessments"), False),
    "under a SCRIPT_NAME": (ask(environ_overrides={"SCRIPT_NAME": "/api"}, uncontracted=True), False),
}


@pytest.mark.parametrize("case", REQUESTS, ids=list(REQUESTS))
def test_every_request_gets_the_same_answer_with_the_lane_on_and_off(apps, case):
    kwargs, by_the_lane = REQUESTS[case]
    (status, _, body), served = same_answer(apps, **kwargs)
    assert served == by_the_lane, (status, body)
    if by_the_lane:
        assert status == "200 OK" and json.loads(body)["outcomes"]


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


def test_a_failure_inside_the_lane_falls_back_to_flask_with_the_body_intact(apps):
    lane, _, counter = apps
    endpoint = services(lane).assessment_endpoint
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


def negotiating(view):
    """The trap of issue 19: the view negotiates the ordinary Flask way (CSV for `Accept: text/csv`)."""

    def csv_or_json(**kwargs):
        if request.accept_mimetypes.best == "text/csv":
            return Response("id\n", mimetype="text/csv")
        return view(**kwargs)

    return csv_or_json


def test_a_view_that_negotiates_answers_alike_with_the_lane_on_and_off():
    """The lane answered JSON to `Accept: text/csv` while Flask's view answered CSV; now it hands
    the request to Flask, whatever the view does with it."""
    lane, plain = make_app(), make_app(FAST_LANE=False)
    for app in (lane, plain):
        endpoint = "assessments.create_assessment"
        app.view_functions[endpoint] = negotiating(app.view_functions[endpoint])
    kwargs = {"json": make_patient(), "headers": {**AUTH, "Accept": "text/csv"}, "uncontracted": True}
    assert exchange(lane, **kwargs) == exchange(plain, **kwargs)
    assert exchange(plain, **kwargs)[2] == b"id\n"


def routed(rule, endpoint, view):
    app = Flask("routing")
    app.add_url_rule(rule, endpoint, view, methods=["POST"])
    return app


def test_the_lane_refuses_to_start_unless_its_route_reaches_the_endpoint_object_itself(apps):
    """Moved, renamed, or another view in its place (one that negotiates, say): the lane would keep
    answering its old path, with its old policy or without the new view's behaviour."""
    endpoint = services(apps[0]).assessment_endpoint
    endpoint.check_routed(routed(endpoint.route, endpoint.name, endpoint))
    assert apps[0].view_functions[endpoint.name] is endpoint  # as the factory routes it
    for app in (
        routed("/v2/assessments", endpoint.name, endpoint),
        routed(endpoint.route, "assessments.score", endpoint),
        routed(endpoint.route, endpoint.name, negotiating(endpoint)),
        routed(endpoint.route, endpoint.name, lambda: endpoint()),
    ):
        with pytest.raises(RuntimeError, match="fast lane"):
            endpoint.check_routed(app)
