"""Swagger UI shows the truth: the 200's named examples are the service's answers to the named requests,
and each error status shows the refusal the service gives for it (a problem, an OperationOutcome on FHIR)."""

from __future__ import annotations

import pytest

from schemas import ASSESSMENT_EXAMPLES
from service.http.contract_examples import REFUSED_PATIENT
from service.views.fhir import UNREADABLE_BUNDLE
from tests.helpers import make_app, make_patient, problem_of
from tests.helpers.contract import contract_dict
from tests.helpers.fhir import FHIR_JSON

PATH = "/v1/assessments"
COMPARED = ("type", "title", "status", "detail", "errors")  # instance and request id vary by request


def resolve(node: dict) -> dict:
    """Follow a local $ref in the contract."""
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = contract_dict()["components"][kind][name]
    return node


def operation(path: str = PATH, method: str = "post") -> dict:
    return contract_dict()["paths"][path][method]


def example_of(status: int, path: str = PATH) -> dict:
    response = resolve(operation(path)["responses"][str(status)])
    (content,) = response["content"].values()
    return content["example"]


@pytest.mark.parametrize("name", sorted(ASSESSMENT_EXAMPLES))
def test_each_named_answer_is_the_services_answer_to_that_request(client, name):
    examples = operation()["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(examples) == set(ASSESSMENT_EXAMPLES)
    answer = client.post(PATH, json=ASSESSMENT_EXAMPLES[name]["value"]).get_json()
    assert resolve(examples[name])["value"] == answer


def test_every_error_status_has_its_own_example():
    for path, item in contract_dict()["paths"].items():
        for method, op in item.items():
            for status, response in op.get("responses", {}).items():
                if int(status) >= 400:
                    (content,) = resolve(response)["content"].values()
                    body = content["example"]
                    assert body.get("status", int(status)) == int(status), (method, path, status)
                    assert "resourceType" in body or body["title"], (method, path, status)


def _same(problem: dict, example: dict) -> None:
    assert {k: problem.get(k) for k in COMPARED} == {k: example.get(k) for k in COMPARED}


def test_the_error_examples_replay(client):
    anonymous = make_app().test_client()
    del anonymous.environ_base["HTTP_AUTHORIZATION"]
    _same(problem_of(anonymous.post(PATH, json=make_patient()), 401), example_of(401))
    _same(problem_of(client.post(PATH, data=b"[]", content_type="application/json"), 400), example_of(400))
    _same(problem_of(client.post(PATH, data=b"x", content_type="text/plain"), 415), example_of(415))
    _same(problem_of(client.post(PATH, json=REFUSED_PATIENT), 422), example_of(422))
    huge = {**make_patient(), "symptoms": ["x" * 70_000]}
    _same(problem_of(client.post(PATH, json=huge), 413), example_of(413))


def test_the_fhir_errors_are_operation_outcomes_and_the_422_replays(client):
    fhir = "/v1/fhir/risk-assessments"
    for status in ("400", "401", "413", "415", "422", "500"):
        assert example_of(int(status), fhir)["resourceType"] == "OperationOutcome", status
    answer = client.post(fhir, json=UNREADABLE_BUNDLE, headers={"Content-Type": FHIR_JSON})
    assert answer.status_code == 422 and answer.get_json() == example_of(422, fhir)


def test_swagger_links_the_model_card_and_the_form():
    description = contract_dict()["info"]["description"]
    assert "(/model)" in description and "(/)" in description
