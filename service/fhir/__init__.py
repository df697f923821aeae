"""FHIR R4: read a Bundle into model inputs, write RiskAssessment resources (no Flask)."""

from .bundles import FhirInputError, NotAnAdult, assess_bundle, read_bundle
from .extract import Extraction, extract
from .render import FHIR_JSON, operation_outcome, risk_bundle
from .terminology import Terminology, load_terminology

__all__ = [
    "FHIR_JSON",
    "Extraction",
    "FhirInputError",
    "NotAnAdult",
    "Terminology",
    "assess_bundle",
    "extract",
    "load_terminology",
    "operation_outcome",
    "read_bundle",
    "risk_bundle",
]
