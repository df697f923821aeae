"""The wire format: marshmallow schemas for every request and response of the API."""

from .assessment import AssessmentSchema
from .batch import MAX_PATIENTS, BatchQuerySchema, BatchRequestSchema, BatchResponseSchema, summary_of
from .examples import ASSESSMENT_EXAMPLES
from .fastload import FastLoader
from .health import HealthSchema, ReadinessSchema
from .model_document import ModelDocumentSchema
from .patient import CROSS_FIELD_RULES, REQUEST_SCHEMA, SYMPTOMS, AssessmentRequestSchema, cross_field_errors
from .problem import ProblemSchema

__all__ = [
    "ASSESSMENT_EXAMPLES",
    "CROSS_FIELD_RULES",
    "MAX_PATIENTS",
    "REQUEST_SCHEMA",
    "SYMPTOMS",
    "AssessmentRequestSchema",
    "AssessmentSchema",
    "BatchQuerySchema",
    "BatchRequestSchema",
    "BatchResponseSchema",
    "FastLoader",
    "HealthSchema",
    "ModelDocumentSchema",
    "ProblemSchema",
    "ReadinessSchema",
    "cross_field_errors",
    "patient_loader",
    "summary_of",
]


def patient_loader() -> FastLoader:
    """Return the loader of a patient body: marshmallow's result, fast when provably valid."""
    return FastLoader(AssessmentRequestSchema())
