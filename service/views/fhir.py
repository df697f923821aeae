"""POST /v1/fhir/risk-assessments: a FHIR R4 Bundle in, RiskAssessment resources out."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, request
from flask_smorest import Blueprint
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from schemas.fhir_bundle import FhirQuerySchema, FhirResourceSchema, OperationOutcomeSchema, reference
from schemas.standards_examples import FHIR_EXAMPLES

from ..config import DEFAULTS
from ..fhir import FHIR_JSON, FhirInputError, operation_outcome
from ..formats import AS_FHIR
from ..formats.as_json import JSON
from ..http.answer import answer
from ..http.api import SECURED
from ..http.contract_examples import refusals
from ..http.problems import UNEXPECTED, error_headers, log_unexpected, validation_errors
from ..services import services

FHIR_MEDIA_TYPES = (FHIR_JSON, JSON)  # what the FHIR endpoint reads

blp = Blueprint(
    "fhir", __name__, url_prefix="/v1/fhir", description="FHIR R4: Bundle in, RiskAssessment out."
)


_query = FhirQuerySchema()
# Each error's example is an OperationOutcome with what the service's own code says; the 422's is the
# answer to an empty Bundle (a test replays it).
_REFUSED = refusals(DEFAULTS["MAX_FHIR_BODY_BYTES"], DEFAULTS["MAX_JSON_DEPTH"], FHIR_MEDIA_TYPES)
UNREADABLE_BUNDLE = {"resourceType": "Bundle", "type": "collection", "entry": []}
_UNREADABLE = [{"diagnostics": "The Bundle must hold exactly one Patient.", "expression": ["Bundle.entry"]}]
_FHIR_ERRORS = {
    status: {
        "description": text,
        "content": {
            FHIR_JSON: {
                "schema": OperationOutcomeSchema,
                "example": operation_outcome(
                    status, _UNREADABLE if status == 422 else [{"diagnostics": _REFUSED[status]}]
                ),
            }
        },
    }
    for status, text in {
        400: "The body is not a JSON object, or a query parameter is malformed.",
        401: "API keys are configured and the request has no valid `Authorization: Bearer <key>`.",
        408: "The body did not arrive within `REQUEST_READ_TIMEOUT` of the request's first byte.",
        413: "The body is larger than the size limit.",
        415: "The Content-Type is not application/fhir+json or application/json.",
        422: "The bundle cannot be read; each issue's `expression` names the entry at fault.",
        500: "An unexpected error.",
    }.items()
}


@blp.route("/risk-assessments", methods=["POST"])
@blp.doc(
    operationId="createFhirRiskAssessments",
    security=SECURED,
    parameters=[{"in": "query", "schema": FhirQuerySchema}],
    requestBody={
        "required": True,
        "description": "A FHIR R4 Bundle with one Patient and the resources about them.",
        "content": {
            FHIR_JSON: {"schema": reference("FhirBundle"), "examples": FHIR_EXAMPLES},
            JSON: {"schema": reference("FhirBundle")},
        },
    },
    responses={
        200: {
            "description": "A collection Bundle: one RiskAssessment per outcome, and an OperationOutcome "
            "listing what was ignored, if anything.",
            "content": {FHIR_JSON: {"schema": FhirResourceSchema}},
        },
        **_FHIR_ERRORS,
    },
)
def create_risk_assessments():
    """Assess a FHIR Bundle

    Reads the Patient (age, sex), smoking status, BMI (or height and weight), HbA1c, DXA T-scores,
    Conditions, systemic corticosteroids and the planned fusion with its approach (see docs/fhir-mapping.md);
    what the bundle does not hold is unknown, never absent. Returns RiskAssessment resources.
    """
    found = services()
    query = _query.load(request.args)
    on = query.get("date") or datetime.now(UTC).date()
    bundle = found.fhir_body(request.environ)
    assessed = found.bundles.assess(bundle, found.assessor, on, query.get("levels_fused"))
    return answer(AS_FHIR, assessed)


# The FHIR blueprints render their own errors: FHIR clients expect an OperationOutcome, whatever went wrong.
def _outcome(status: int, issues: list[dict], headers: dict[str, str] | None = None) -> Response:
    return answer(AS_FHIR, operation_outcome(status, issues), status, headers)


def _unreadable_bundle(error: FhirInputError):
    return _outcome(422, error.issues)


def _bad_query(error: ValidationError):
    messages = validation_errors(error)
    return _outcome(
        422, [{"diagnostics": f"{k}: {' '.join(v)}", "expression": [k]} for k, v in messages.items()]
    )


def _http_error(error: HTTPException):
    return _outcome(error.code or 500, [{"diagnostics": error.description or ""}], error_headers(error))


def _unexpected(error: Exception):
    log_unexpected(error)
    return _outcome(500, [{"diagnostics": UNEXPECTED}])


def fhir_errors(blueprint: Blueprint) -> None:
    """Have a blueprint answer every error as an OperationOutcome."""
    for kind, handler in (
        (FhirInputError, _unreadable_bundle),
        (ValidationError, _bad_query),
        (HTTPException, _http_error),
        (Exception, _unexpected),
    ):
        blueprint.register_error_handler(kind, handler)


fhir_errors(blp)
