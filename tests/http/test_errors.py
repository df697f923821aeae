"""The error table of docs/api.md: every error is application/problem+json, never a 500 or a trace."""

from __future__ import annotations

import pytest

from service.services import services
from tests.helpers import make_patient, problem_of

URL = "/v1/assessments"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'"a string"',
        b"42",
        b"null",
        b'{"age": NaN}',
        b'{"age": Infinity}',
        b'{"age": -Infinity}',
        b'{"age": 1e400}',
        b'{"age": 1' + b"0" * 400 + b"}",
        b'{"smoking": "\xff"}',
        b'{"smoking": "\\ud800"}',
        b"\xef\xbb\xbf{}",
        b'{"a": ' * 33 + b"1" + b"}" * 33,
        b"[" * 5000 + b"]" * 5000,
        b'{"age": 50,}',
    ],
    ids=[
        "empty",
        "not-json",
        "array",
        "string",
        "number",
        "null",
        "nan",
        "infinity",
        "minus-infinity",
        "overflow",
        "huge-integer",
        "invalid-utf8",
        "lone-surrogate",
        "bom",
        "nesting-33",
        "nesting-5000",
        "trailing-comma",
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, body):
    problem = problem_of(client.post(URL, data=body, content_type="application/json"), 400)
    assert problem["type"] == "/problems/malformed-request"


def test_nesting_within_the_limit_reaches_validation(client, app):
    assert app.config["MAX_JSON_DEPTH"] == 32  # the 400 cases above nest 33 deep
    body = b'{"a": ' * 31 + b"1" + b"}" * 31
    problem_of(client.post(URL, data=body, content_type="application/json"), 422)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"age": "65"}, "age", "Not a valid integer."),
        ({"age": 70.5}, "age", "Not a valid integer: write it without a decimal point (70, not 70.0)."),
        ({"age": True}, "age", "Not a valid integer."),
        ({"age": -1}, "age", "The model applies to adults, 18 or older."),
        ({"age": 17}, "age", "The model applies to adults, 18 or older."),
        ({"age": 121}, "age", "Must be greater than or equal to 18 and less than or equal to 120."),
        ({"age": 10**30}, "age", "Must be greater than or equal to 18 and less than or equal to 120."),
        (
            {"levels_fused": 0},
            "levels_fused",
            "Must be greater than or equal to 1 and less than or equal to 24.",
        ),
        (
            {"levels_fused": 25},
            "levels_fused",
            "Must be greater than or equal to 1 and less than or equal to 24.",
        ),
        ({"levels_fused": "2"}, "levels_fused", "Not a valid integer."),
        ({"smoking": "sometimes"}, "smoking", "Must be one of: never, former, current."),
        ({"smoking": 1}, "smoking", "Not a valid string."),
        ({"osteoporosis": 1}, "osteoporosis", "Not a valid boolean."),
        ({"diabetes": "yes"}, "diabetes", "Not a valid boolean."),
        ({"obesity": "true"}, "obesity", "Not a valid boolean."),
        ({"obesity": [True]}, "obesity", "Not a valid boolean."),
        ({"height": 180}, "height", "Unknown field."),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else None,
)
def test_bad_fields_are_422_naming_the_field(client, changes, field, message):
    problem = problem_of(client.post(URL, json=make_patient(**changes)), 422)
    assert problem["type"] == "/problems/validation-error"
    assert problem["errors"] == {field: [message]}


def test_every_missing_field_is_named(client):
    problem = problem_of(client.post(URL, json={}), 422)
    assert set(problem["errors"]) == {"age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity"}
    assert all(messages == ["Missing data for required field."] for messages in problem["errors"].values())


def test_every_bad_field_is_named_at_once(client):
    body = {"age": "65", "smoking": "x", "osteoporosis": 1, "diabetes": "yes", "levels_fused": 70.5}
    problem = problem_of(client.post(URL, json={**body, "bmi": "31", "height": 180}), 422)
    expected = {"age", "smoking", "osteoporosis", "diabetes", "levels_fused", "obesity", "bmi", "height"}
    assert set(problem["errors"]) == expected


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/xml",
    ],
)
def test_wrong_content_type_is_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    problem_of(client.post(URL, data=b'{"age": 50}', headers=headers), 415)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_bodies_are_415(client, encoding):
    response = client.post(
        URL, data=b'{"age": 50}', content_type="application/json", headers={"Content-Encoding": encoding}
    )
    problem_of(response, 415)


def test_json_with_utf8_charset_is_accepted(client):
    response = client.post(URL, data=b'{"age": 50}', content_type="application/json; charset=UTF-8")
    problem_of(response, 422)  # reached validation


def test_body_over_the_limit_is_413(client, app):
    limit = app.config["MAX_BODY_BYTES"]
    body = b'{"pad": "' + b"x" * limit + b'"}'
    problem = problem_of(client.post(URL, data=body, content_type="application/json"), 413)
    assert str(limit) in problem["detail"]


def test_unknown_path_is_404(client):
    problem_of(client.get("/v1/nothing-here"), 404)


@pytest.mark.parametrize(("method", "path", "allowed"), [("GET", URL, "POST"), ("POST", "/v1/model", "GET")])
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    response = client.open(path, method=method)
    problem_of(response, 405)
    assert allowed in response.headers["Allow"].split(", ")


def test_unexpected_failure_is_a_generic_500(app, client, caplog):
    endpoint = services(app).assessment_endpoint
    assessor, secret = endpoint.assess, "internal detail 0xDEADBEEF"

    def explode(patient):
        raise RuntimeError(secret)

    endpoint.assess = explode
    try:
        response = client.post(URL, json=make_patient())
    finally:
        endpoint.assess = assessor
    problem = problem_of(response, 500)
    assert secret not in response.get_data(as_text=True)
    assert problem["detail"] == "An unexpected error occurred. Quote the request id when reporting it."
    assert any(
        r.levelname == "ERROR" and getattr(r, "request_id", None) == problem["request_id"]
        for r in caplog.records
    )


@pytest.mark.slow  # fresh interpreters
def test_validation_errors_come_in_the_same_order_in_every_process():
    """Unknown fields are found through a set: string hashing differs between processes."""
    import subprocess
    import sys

    code = (
        "from tests.helpers import make_app, make_patient;"
        "body = make_patient(**{f'unknown_{i}': i for i in range(12)}, age='x');"
        "print(make_app().test_client().post('/v1/assessments', json=body).get_json()['errors'])"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin", "LOG_LEVEL": "ERROR"},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(answers) == 1 and "unknown_11" in answers.pop()
