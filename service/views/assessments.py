"""POST /v1/assessments (one patient) and POST /v1/assessments/batch (up to 1,000)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from flask import request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from schemas import (
    ASSESSMENT_EXAMPLES,
    AssessmentRequestSchema,
    AssessmentSchema,
    BatchQuerySchema,
    BatchRequestSchema,
    BatchResponseSchema,
    summary_of,
)
from schemas.standards_examples import BATCH_EXAMPLES

from ..formats import AS_JSON
from ..http.answer import answer
from ..http.api import documented, operation
from ..http.body import encoded_object, gzipped_if_accepted
from ..http.contract_examples import answer_refs
from ..http.endpoint import AssessmentEndpoint
from ..http.problems import refusal_body
from ..services import services

_batch = BatchRequestSchema()
_batch_query = BatchQuerySchema()
_GZIP = {
    "in": "header",
    "name": "Accept-Encoding",
    "schema": {"type": "string"},
    "description": "`gzip` for a gzip-encoded answer (`Content-Encoding: gzip`): a full batch of 1,000 is "
    "9 to 19 MB of JSON.",
}


# POST /v1/assessments: its view is the app's AssessmentEndpoint itself, documented here.
CREATE_ASSESSMENT = {
    "operationId": "createAssessment",
    **operation(
        AssessmentSchema,
        "The assessment: a tier, points, summary, contributing factors and evidence per outcome.",
        errors=(400, 408, 413, 415, 422),
        request_schema=AssessmentRequestSchema,
        examples=ASSESSMENT_EXAMPLES,
        ok_examples=answer_refs(),  # the real answers to those examples, made when the contract is built
        request_description="The patient's risk factors. All six are required; unknown fields "
        "are rejected and types are never coerced.",
    ),
}
CREATE_ASSESSMENT_DOCSTRING = """Assess one patient

    Scores the risk of non-union (pseudarthrosis) and of hardware failure from six core
    risk factors and optional refinements. Nothing is stored; the same input always gives
    the same output.
    """


def blueprint(assessment_endpoint: AssessmentEndpoint) -> Blueprint:
    """Return one app's blueprint: POST /v1/assessments is routed to `assessment_endpoint`, the app's endpoint
    object itself (the one the fast lane calls), so no other view can stand behind the lane."""
    blp = Blueprint("assessments", __name__, url_prefix="/v1", description="Score patients.")
    view = documented(assessment_endpoint, CREATE_ASSESSMENT_DOCSTRING, **CREATE_ASSESSMENT)
    blp.add_url_rule("/assessments", "create_assessment", view, methods=["POST"])
    blp.add_url_rule(
        "/assessments/batch", "create_assessment_batch", create_assessment_batch, methods=["POST"]
    )
    return blp


@Blueprint.doc(
    operationId="createAssessmentBatch",
    **operation(
        BatchResponseSchema,
        "One result per patient, in input order: an assessment or an error.",
        errors=(400, 408, 413, 415, 422),
        request_schema=BatchRequestSchema,
        examples=BATCH_EXAMPLES,
        request_description="Up to 1,000 patients, each as the body of POST /v1/assessments.",
    ),
    parameters=[{"in": "query", "schema": BatchQuerySchema}, _GZIP],
)
def create_assessment_batch():
    """Assess many patients

    A day's list in one call. Every index is present in the results, in input order; a
    patient that does not validate gets its own error and never sinks the others.
    """
    found = services()
    summary = _batch_query.load(request.args)["view"] == "summary"
    patients = _batch.load(found.batch_body(request.environ))["patients"]
    # Each result is encoded as soon as it is made: its objects are freed while still in the
    # cache, and the batch never holds a thousand assessments at once.
    with found.assessor.batch() as assess:
        results = [
            orjson.dumps(_result(i, p, assess, found.assessment_endpoint.load, summary))
            for i, p in enumerate(patients)
        ]
    body = answer(AS_JSON, encoded_object("results", results))
    return gzipped_if_accepted(body, request.accept_encodings["gzip"])


def _result(index: int, item: Any, assessor, load: Callable[[Any], Any], summary: bool) -> dict[str, Any]:
    try:
        assessment = assessor(load(item))
        return (
            {"index": index, "summary": summary_of(assessment)}
            if summary
            else {"index": index, "assessment": assessment}
        )
    except ValidationError as error:
        return {"index": index, "error": refusal_body(error, f"{request.path}#/patients/{index}")}
