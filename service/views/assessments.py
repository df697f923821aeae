"""POST /v1/assessments: score one patient."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from schemas import ASSESSMENT_EXAMPLES, AssessmentRequestSchema, AssessmentSchema

from ..api import operation
from ..jsonio import json_response, read_json_object

blp = Blueprint("assessments", __name__, url_prefix="/v1", description="Score patients.")
_request = AssessmentRequestSchema()


@blp.route("/assessments", methods=["POST"])
@blp.doc(
    operationId="createAssessment",
    **operation(
        AssessmentSchema,
        "The assessment: a tier, points, summary, contributing factors and evidence per outcome.",
        errors=(400, 413, 415, 422),
        request_schema=AssessmentRequestSchema,
        examples=ASSESSMENT_EXAMPLES,
        request_description="The patient's risk factors. All six are required; unknown fields "
        "are rejected and types are never coerced.",
    ),
)
def create_assessment():
    """Assess one patient

    Scores the risk of non-union (pseudarthrosis) and of hardware failure from six core
    risk factors. Nothing is stored; the same input always gives the same output.
    """
    patient = _request.load(read_json_object())
    return json_response(current_app.extensions["assessor"](patient))
