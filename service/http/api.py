"""flask-smorest wiring: the OpenAPI document is generated from the schemas in `schemas/`, and
served as JSON and YAML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

import flask_smorest
from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

from schemas import CROSS_FIELD_RULES, REQUEST_SCHEMA, AssessmentRequestSchema, ProblemSchema
from schemas.fhir_bundle import JSON_SCHEMAS

from .contract_examples import answer_examples, problem_examples
from .endpoint import AssessmentEndpoint
from .problems import PROBLEM, http_problem
from .references import ReferencingPlugin

# How each documented error status arises on this API (the rest use the HTTP phrase).
ERROR_DESCRIPTIONS = {
    400: "The body is not a JSON object: not JSON, NaN or Infinity, invalid UTF-8, a number "
    "that overflows, or nesting deeper than the limit.",
    401: "API keys are configured and the request has no valid `Authorization: Bearer <key>`; "
    "`WWW-Authenticate` says so.",
    404: "No such path.",
    405: "The path does not support this method; `Allow` lists those it does.",
    408: "The body did not arrive within `REQUEST_READ_TIMEOUT` of the request's first byte.",
    413: "The body is larger than the size limit.",
    415: "The Content-Type is not application/json (UTF-8).",
    422: "A field is missing, unknown, of the wrong type or out of range; `errors` names each one.",
    500: "An unexpected error; the body says nothing more than the request id.",
}

SPEC_INFO = {
    "description": (
        "Transparent, explainable, qualitative risk of **pseudarthrosis** (non-union) and "
        "**hardware failure** after spinal fusion, from a patient's risk factors. Every point "
        "is traced to a factor, a value and a cited effect size; the whole model is published "
        "at `GET /v1/model`.\n\n"
        "Decision support, not a diagnosis: the tiers are not calibrated probabilities. "
        "Every error is an RFC 9457 problem document (`application/problem+json`).\n\n"
        "Types are never coerced: an integer is written as one (`70`, not `70.0`, which JSON Schema "
        "would let pass), a field appears once in its object, and either is a 422 naming the field.\n\n"
        "For people: [the model card](/model) (how the score works, every factor and study) and "
        "[the clinician form](/) (score one patient and print the report)."
    ),
    "license": {"name": "Apache 2.0", "identifier": "Apache-2.0"},
}


BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API key, required on /v1, /cds-services and /metrics when the service is "
    "configured with API_KEYS (Swagger UI: Authorize).",
}
# The key, or none at all: a service without API_KEYS takes plain requests (`{}`: anonymous access).
SECURED: list[dict[str, list[str]]] = [{"bearerAuth": []}, {}]


class Api(flask_smorest.Api):
    """flask-smorest's Api, answering and documenting every error as problem+json."""

    DEFAULT_ERROR_RESPONSE_NAME = None  # errors are documented per operation instead
    ERROR_SCHEMA = ProblemSchema

    def __init__(
        self,
        app: Flask,
        assessment_endpoint: AssessmentEndpoint,
        assess: Callable[[Mapping[str, Any]], Any],
        **kwargs: Any,
    ) -> None:
        """`assessment_endpoint` and `assess` (the service's own assessor, uncounted) make the contract's
        examples: the service's real answers and refusals."""
        self.assessment_endpoint, self.assess = assessment_endpoint, assess
        super().__init__(app, **kwargs)

    def handle_http_exception(self, error):
        """Answer an HTTP error as a problem; a method refused on a blueprint's path (no endpoint
        matched it, so no blueprint handler ran) goes to that blueprint's own handler, if it has one."""
        owner = _owner_of_refused_method(error)
        handler = current_app.error_handler_spec.get(owner, {}).get(None, {}).get(HTTPException)
        return handler(error) if owner and handler else http_problem(error)

    def _init_spec(self, **kwargs):
        super()._init_spec(**{**kwargs, "marshmallow_plugin": ReferencingPlugin()})
        for name, example in answer_examples(self.assess, self.assessment_endpoint.loader).items():
            self.spec.components.example(name, example)
        self.spec.components.security_scheme("bearerAuth", BEARER)
        for name, schema in JSON_SCHEMAS.items():
            self.spec.components.schema(name, schema)
        # Registered before any view refers to it, so the cross-field rules join the schema.
        self.spec.components.schema(
            REQUEST_SCHEMA, {"allOf": CROSS_FIELD_RULES}, schema=AssessmentRequestSchema
        )

    def _register_pagination_header(self):
        """Not used: no endpoint paginates (flask-smorest would add its schema to the contract)."""

    def _register_etag_headers(self):
        """Not used: no endpoint uses ETags."""

    def _register_responses(self):
        examples = problem_examples(self._app.config, self.assessment_endpoint)
        for status in HTTPStatus:
            if status >= 400:
                content = {
                    "schema": ProblemSchema,
                    **({"example": examples[status]} if status in examples else {}),
                }
                response = {
                    "description": ERROR_DESCRIPTIONS.get(status, status.phrase),
                    "content": {PROBLEM: content},
                }
                self.spec.components.response(status.name, response, lazy=True)


def relative_redirects(app: Flask) -> None:
    """Make the router's redirects (a path spelled with a doubled slash: `/v1//model`) relative: the
    Location names the path alone, never the host the client put in its Host header."""
    raise_routing_exception = app.raise_routing_exception

    def relative(request: Any) -> NoReturn:
        error = request.routing_exception
        if isinstance(error, RequestRedirect):
            parts = urlsplit(error.new_url)
            raise RequestRedirect(urlunsplit(("", "", parts.path, parts.query, "")))
        raise_routing_exception(request)

    app.raise_routing_exception = relative  # type: ignore[method-assign]


def _owner_of_refused_method(error: HTTPException) -> str | None:
    """Return the blueprint of the endpoint a 405's path serves (matched with a method it allows)."""
    if not isinstance(error, MethodNotAllowed) or not error.valid_methods or request.url_rule is not None:
        return None
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _ = adapter.match(method=sorted(error.valid_methods)[0])
    except HTTPException:
        return None
    return endpoint.rpartition(".")[0] or None


def operation(
    ok_schema: Any,
    ok_description: str,
    *,
    errors: tuple[int, ...] = (),
    request_schema: Any = None,
    examples: dict | None = None,
    ok_examples: dict | None = None,
    request_description: str = "",
    secured: bool = True,
    media_type: str = "application/json",
) -> dict[str, Any]:
    """Return the OpenAPI operation fields for `Blueprint.doc` (no per-request work)."""
    ok: dict[str, Any] = {"schema": ok_schema, **({"examples": ok_examples} if ok_examples else {})}
    responses: dict[Any, Any] = {200: {"description": ok_description, "content": {media_type: ok}}}
    for status in (*errors, *((401,) if secured else ()), 500):
        responses[status] = HTTPStatus(status).name
    doc: dict[str, Any] = {"responses": responses}
    if secured:
        doc["security"] = SECURED
    if request_schema is not None:
        content: dict[str, Any] = {"schema": request_schema}
        if examples:
            content["examples"] = examples
        doc["requestBody"] = {
            "required": True,
            "description": request_description,
            "content": {"application/json": content},
        }
    return doc


def documented(view: Any, docstring: str, **doc: Any) -> Any:
    """Return a view object (not a function: the assessment endpoint) documented as `Blueprint.doc`
    and a docstring document a view function; flask-smorest reads both from the routed view."""
    view.__doc__ = docstring
    view._apidoc = {"manual_doc": doc}
    return view
