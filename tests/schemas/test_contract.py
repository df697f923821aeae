"""openapi.yaml is the promise: generated from the schemas, fresh, valid, documented, replayed."""

from __future__ import annotations

import json

import pytest
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.validation.response.exceptions import InvalidData
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder, TestResponse

from service.http.references import contract_yaml
from tests.helpers import TEST_KEY, make_app, make_patient
from tests.helpers.contract import CONTRACT, check_exchange, contract, contract_dict

AUTH = {"Authorization": f"Bearer {TEST_KEY}"}

METHODS = ("get", "post", "put", "patch", "delete")


def operations():
    for path, item in contract_dict()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def properties():
    for name, schema in contract_dict()["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            yield name, field, prop


def test_committed_contract_is_fresh(app):
    """`make openapi` regenerates it; this fails when the schemas changed and it was not run."""
    assert CONTRACT.read_text(encoding="utf-8") == contract_yaml(app), "run `make openapi`"


def test_contract_is_valid_openapi_31():
    validate(contract_dict())
    assert contract_dict()["openapi"] == "3.1.0"


def test_contract_is_served_as_json_and_yaml(client):
    assert client.get("/openapi.json").get_json() == contract_dict()
    served = client.get("/openapi.yaml")
    assert served.mimetype == "application/yaml"
    assert served.get_data(as_text=True) == CONTRACT.read_text(encoding="utf-8")


def test_every_operation_is_described():
    seen = []
    for path, method, operation in operations():
        seen.append((method, path))
        assert operation.get("summary") and operation.get("description") and operation.get("operationId")
        assert "500" in operation["responses"]
    assert ("post", "/v1/assessments") in seen and ("get", "/v1/model") in seen


def test_every_field_is_described():
    undocumented = [f"{name}.{field}" for name, field, prop in properties() if not prop.get("description")]
    assert undocumented == []


def test_every_request_field_has_an_example():
    request = contract_dict()["components"]["schemas"]["AssessmentRequest"]
    assert all("example" in prop for prop in request["properties"].values())


def test_request_schemas_are_closed_and_responses_open():
    schemas = contract_dict()["components"]["schemas"]
    assert schemas["AssessmentRequest"]["additionalProperties"] is False
    closed = [name for name, schema in schemas.items() if schema.get("additionalProperties") is False]
    assert closed == ["AssessmentRequest", "BatchRequest"]


def test_errors_are_documented_as_problems():
    responses = contract_dict()["components"]["responses"]
    assert responses
    for response in responses.values():
        assert list(response["content"]) == ["application/problem+json"]


def request_examples():
    for path, method, operation in operations():
        content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        for name, example in content.get("examples", {}).items():
            query = example.get("x-query")  # the query string the example is sent with
            yield pytest.param(path, method, name, example["value"], query, id=f"{method} {path} {name}")


def test_named_examples_exist():
    names = {p.values[2] for p in request_examples() if p.values[0] == "/v1/assessments"}
    assert names == {"low", "moderate", "high", "refinements", "unknowns", "symptoms"}


# What each named example shows, checked on the real response.
EXPECTED = {
    "low": lambda body: _tiers(body) == {"low"},
    "moderate": lambda body: _tiers(body) == {"moderate"},
    "high": lambda body: _tiers(body) == {"high"},
    "refinements": lambda body: any(
        "basis" in e for b in body["outcomes"].values() for e in b["contributing_factors"]
    ),
    "unknowns": lambda body: (
        len(body["unknown_factors"]) == 2
        and body["outcomes"]["pseudarthrosis"]["risk_range"] == {"lowest": "moderate", "highest": "high"}
    ),
    "symptoms": lambda body: body["symptom_review"]["urgency"] == "emergency" and _tiers(body) == {"low"},
    # The batch's, and the CDS Hooks calls' (the small record: a planned fusion, so cards)
    "day-list": lambda body: (
        [_tiers(r["assessment"]) for r in body["results"]] == [{"low"}, {"moderate"}, {"high"}]
    ),
    "day-list-summary": lambda body: all(set(r) == {"index", "summary"} for r in body["results"]),
    "small-record": lambda body: [c["indicator"] for c in body["cards"][:2]] == ["critical", "critical"],
    "fusion-ordered": lambda body: [c["indicator"] for c in body["cards"][:2]] == ["critical", "critical"],
}


def _tiers(body):
    return {block["risk"] for block in body["outcomes"].values()}


@pytest.mark.parametrize(("path", "method", "name", "value", "query"), list(request_examples()))
def test_named_examples_replay(client, path, method, name, value, query):
    response = client.open(path, method=method.upper(), json=value, query_string=query)
    assert response.status_code == 200
    assert EXPECTED[name](response.get_json())


def test_the_contract_check_catches_a_broken_response(app):
    """The client's contract check can fail: a 200 missing a required field is refused."""
    good = app.test_client().post("/v1/assessments", json={**_low()})
    body = good.get_json()
    del body["disclaimer"]
    broken = app.response_class(json.dumps(body), mimetype="application/json")
    builder = EnvironBuilder(path="/v1/assessments", method="POST", json=_low(), headers=AUTH)
    request = builder.get_request()
    check_exchange(request, good)
    with pytest.raises(InvalidData):
        check_exchange(request, broken)


def _low():
    return next(p.values[3] for p in request_examples() if p.values[2] == "low")


@pytest.mark.parametrize(
    "plant",
    [
        lambda body: body.update(undocumented=1),
        lambda body: body["outcomes"]["pseudarthrosis"].update(probability=0.3),
        lambda body: body["outcomes"]["hardware_failure"]["contributing_factors"][0].update(secret="x"),
        lambda body: body["references"][0].update(impact_factor=3.2),
    ],
    ids=["top-level", "outcome", "factor-entry", "reference"],
)
def test_an_undocumented_response_field_fails_the_closed_contract(client, plant):
    """The published schemas are open; the tests hold every response to a closed copy of them."""
    high = make_patient(
        age=70, smoking="current", osteoporosis=True, diabetes=True, levels_fused=6, obesity=True
    )
    body = client.post("/v1/assessments", json=high).get_json()  # a real answer, which passes
    plant(body)
    request = EnvironBuilder(path="/v1/assessments", method="POST", json=high).get_request()
    planted = TestResponse(json.dumps(body).encode(), 200, {"Content-Type": "application/json"}, request)
    contract().validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(planted))  # open
    with pytest.raises(InvalidData):
        check_exchange(request, planted)


def test_the_yaml_contract_is_generated_once(monkeypatch):
    """`GET /openapi.yaml` is open: it must not cost a generation per call."""
    from service.http import references

    dumps = []
    real = references.yaml.dump
    monkeypatch.setattr(
        references.yaml, "dump", lambda *args, **kwargs: dumps.append(1) or real(*args, **kwargs)
    )
    client = make_app().test_client()
    first, second = client.get("/openapi.yaml"), client.get("/openapi.yaml")
    assert first.data == second.data and len(dumps) == 1
