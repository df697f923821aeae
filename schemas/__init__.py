"""The wire format: marshmallow schemas for every request and response of the API."""

from .assessment import AssessmentRequestSchema, AssessmentSchema
from .examples import ASSESSMENT_EXAMPLES
from .model import HealthSchema, ModelDocumentSchema, ReadinessSchema
from .problem import ProblemSchema

__all__ = [
    "ASSESSMENT_EXAMPLES",
    "AssessmentRequestSchema",
    "AssessmentSchema",
    "HealthSchema",
    "ModelDocumentSchema",
    "ProblemSchema",
    "ReadinessSchema",
]
