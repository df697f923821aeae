"""The contract's examples, made by the service's own code when the contract is built: the real answer to
each named request example, and for each error status the refusal the code gives (never hand-written)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from schemas import ASSESSMENT_EXAMPLES, FastLoader

from .body import JSON, BodyReader, parse_json_object, read_body
from .endpoint import AssessmentEndpoint, Unreadable
from .problems import (
    INVALID_FIELDS,
    MALFORMED,
    NOT_READY,
    UNEXPECTED,
    VALIDATION,
    RefusedPatient,
    problem_body,
    validation_errors,
)
from .security import ApiKeys, Gate

INSTANCE = "/v1/assessments"  # the operation the examples come from (readiness has its own)
INSTANCES: dict[int, str] = {HTTPStatus.SERVICE_UNAVAILABLE: "/readyz"}
REQUEST_ID = "5f0c6d3e9b8a4f6f8f0e2a1b3c4d5e6f"
ANSWER = "assessment-{}"  # the id of a named answer among the contract's example components
# A request the loader refuses: a string for a number, an age the model does not cover, a field it
# does not know; with a red flag, reviewed all the same (the 422 example is the endpoint's own answer).
_LOW: Any = ASSESSMENT_EXAMPLES["low"]["value"]
REFUSED_PATIENT: dict[str, Any] = {
    **_LOW,
    "age": 16,
    "levels_fused": "2",
    "height": 170,
    "symptoms": ["bladder_or_bowel_control_loss"],
    "days_since_surgery": 5,
}


def answer_refs() -> dict[str, str]:
    """Return the 200 response's named examples, as references to the answers `answer_examples` makes."""
    return {name: ANSWER.format(name) for name in ASSESSMENT_EXAMPLES}


def answer_examples(
    assess: Callable[[Mapping[str, Any]], dict[str, Any]], loader: FastLoader
) -> dict[str, dict[str, Any]]:
    """Return each named request example's answer, as `assess` (the service's, uncounted) gives it."""
    return {
        ANSWER.format(name): {"summary": example["summary"], "value": assess(loader.load(example["value"]))}
        for name, example in ASSESSMENT_EXAMPLES.items()
    }


def refusals(limit: int, depth: int, media_types: tuple[str, ...] = (JSON,)) -> dict[int, str]:
    """Return, per status, what the service's own code says when it refuses a request for that reason."""
    reader = BodyReader(limit, depth, media_types)
    refused = Gate(ApiKeys(["example"])).refusal("example.endpoint", None)
    too_long = {"CONTENT_LENGTH": str(limit + 1), "wsgi.input": io.BytesIO()}
    too_slow = {"CONTENT_LENGTH": "1", "wsgi.input": Unreadable(TimeoutError())}
    return {
        HTTPStatus.BAD_REQUEST: _said(lambda: parse_json_object(b"[]", depth)),
        HTTPStatus.UNAUTHORIZED: refused.description if refused else "",
        HTTPStatus.NOT_FOUND: NotFound.description,
        HTTPStatus.METHOD_NOT_ALLOWED: MethodNotAllowed.description,
        HTTPStatus.REQUEST_TIMEOUT: _said(lambda: read_body(too_slow, limit)),
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE: _said(lambda: read_body(too_long, limit)),
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE: _said(lambda: reader({"CONTENT_TYPE": "text/plain"})),
        HTTPStatus.INTERNAL_SERVER_ERROR: UNEXPECTED,
        HTTPStatus.SERVICE_UNAVAILABLE: NOT_READY,
    }


def _said(refuse: Callable[[], Any]) -> str:
    try:
        refuse()
    except HTTPException as error:
        return error.description or ""
    raise AssertionError("the example request was not refused")


def problem_examples(
    settings: Mapping[str, Any], assessment_endpoint: AssessmentEndpoint
) -> dict[int, dict[str, Any]]:
    """Return a problem document per error status, as the service answers POST /v1/assessments."""
    examples = {
        status: problem_body(
            status,
            detail,
            kind=MALFORMED if status == HTTPStatus.BAD_REQUEST else None,
            instance=INSTANCES.get(status, INSTANCE),
            request_id=REQUEST_ID,
        )
        for status, detail in refusals(settings["MAX_BODY_BYTES"], settings["MAX_JSON_DEPTH"]).items()
    }
    refused = _refused(assessment_endpoint)
    examples[HTTPStatus.UNPROCESSABLE_ENTITY] = problem_body(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        INVALID_FIELDS,
        kind=VALIDATION,
        errors=validation_errors(refused),
        instance=INSTANCE,
        request_id=REQUEST_ID,
        symptom_review=refused.symptom_review,
    )
    return examples


def _refused(assessment_endpoint: AssessmentEndpoint) -> RefusedPatient:
    try:
        assessment_endpoint.load(REFUSED_PATIENT)
    except RefusedPatient as error:
        return error
    raise AssertionError("the example patient was not refused")
