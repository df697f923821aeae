"""The wire format: marshmallow schemas for every request and response of the API."""

from .assessment import AssessmentSchema
from .batch import MAX_PATIENTS, BatchRequestSchema, BatchResponseSchema
from .examples import ASSESSMENT_EXAMPLES
from .model import HealthSchema, ModelDocumentSchema, ReadinessSchema
from .patient import CROSS_FIELD_RULES, SYMPTOMS, AssessmentRequestSchema
from .problem import ProblemSchema

__all__ = [
    "ASSESSMENT_EXAMPLES",
    "CROSS_FIELD_RULES",
    "MAX_PATIENTS",
    "SYMPTOMS",
    "AssessmentRequestSchema",
    "AssessmentSchema",
    "BatchRequestSchema",
    "BatchResponseSchema",
    "HealthSchema",
    "ModelDocumentSchema",
    "ProblemSchema",
    "ReadinessSchema",
]
