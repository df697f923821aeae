"""Every error as an RFC 9457 problem document (application/problem+json).

This is the app's own rendering. A blueprint whose clients expect another shape (the FHIR
endpoint: an OperationOutcome) registers its own handlers and renders its errors itself."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

import orjson
from flask import Flask, Response, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from schemas import ProblemSchema
from schemas.problem import validation_errors

from .body import MalformedBody
from .request_id import current_request_id

PROBLEM = "application/problem+json"
VALIDATION = ("/problems/validation-error", "Invalid input")
MALFORMED = ("/problems/malformed-request", "Malformed request")
INVALID_FIELDS = "One or more fields are missing, unknown, of the wrong type or out of range."
UNEXPECTED = "An unexpected error occurred. Quote the request id when reporting it."
NOT_READY = "The model is not loaded yet."

log = logging.getLogger(__name__)
_schema = ProblemSchema()


class RefusedPatient(ValidationError):
    """A patient body the loader refused, with the review of the symptoms it still states: red flags
    are never dropped with an invalid body (the problem's `symptom_review` extension member)."""

    def __init__(self, error: ValidationError, symptom_review: dict[str, Any] | None) -> None:
        super().__init__(error.messages, data=error.data, valid_data=error.valid_data)
        self.symptom_review = symptom_review


def readable_review(
    review: Callable[[Mapping[str, Any]], Any], reads: Iterable[str], error: ValidationError
) -> Any:
    """Return `review` of what a refused body validly states, unless an error is about a field it
    `reads` (the symptoms or the days since surgery): then it cannot be read, and None."""
    named = {path.split(".")[0] for path in validation_errors(error)}
    if named & set(reads) or not isinstance(error.valid_data, dict):
        return None
    return review(error.valid_data)


def problem_body(
    status: int,
    detail: str,
    *,
    kind: tuple[str, str] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    symptom_review: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a problem document; `kind` is (type URI, title), else about:blank. Outside a request,
    pass `instance` and `request_id`. A refused patient's symptom review rides along."""
    type_, title = kind or ("about:blank", HTTPStatus(status).phrase)
    body: dict[str, Any] = {
        "type": type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance or request.path,
        "request_id": request_id or current_request_id(),
    }
    if errors:
        body["errors"] = errors
    if symptom_review is not None:
        body["symptom_review"] = symptom_review
    return _schema.dump(body)


def problem(
    status: int,
    detail: str,
    *,
    kind: tuple[str, str] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Return a problem response."""
    return problem_response(problem_body(status, detail, kind=kind, errors=errors), headers)


def problem_response(body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """Return a problem document as the response."""
    return Response(orjson.dumps(body), status=body["status"], headers=dict(headers or {}), mimetype=PROBLEM)


def error_headers(error: HTTPException) -> dict[str, str]:
    """Return the headers an HTTP error carries (Allow, WWW-Authenticate), Allow sorted."""
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return headers


def http_problem(error: HTTPException) -> Response:
    """Answer a werkzeug HTTP error (401, 404, 405 with Allow, 413, 415, ...) as a problem."""
    kind = MALFORMED if isinstance(error, MalformedBody) else None
    return problem(error.code or 500, error.description or "", kind=kind, headers=error_headers(error))


def refusal_body(error: ValidationError, instance: str | None = None) -> dict[str, Any]:
    """Return the 422 document of a failed schema load, naming every bad field (and carrying a
    refused patient's symptom review)."""
    review = getattr(error, "symptom_review", None)
    errors = validation_errors(error)
    return problem_body(
        422, INVALID_FIELDS, kind=VALIDATION, errors=errors, instance=instance, symptom_review=review
    )


def validation_problem(error: ValidationError) -> Response:
    """Answer a failed schema load as 422."""
    return problem_response(refusal_body(error))


def log_unexpected(error: Exception) -> None:
    """Log an unexpected error with the request id: its type and stack, never its message."""
    log.error(
        "unhandled %s", type(error).__name__, exc_info=error, extra={"request_id": current_request_id()}
    )


def unexpected_problem(error: Exception) -> Response:
    """Answer anything unexpected with a generic 500 that leaks nothing, and log it."""
    log_unexpected(error)
    return problem(500, UNEXPECTED)


def register(app: Flask) -> None:
    """Install the problem handlers (the HTTP one is installed by service.http.api.Api)."""
    app.register_error_handler(ValidationError, validation_problem)
    app.register_error_handler(Exception, unexpected_problem)
