"""FHIR R4: read a Bundle into model inputs, write RiskAssessment resources (no Flask)."""

from .bundles import Bundles, FhirInputError, NotAnAdult
from .extract import Extraction, extract
from .render import FHIR_JSON, operation_outcome, risk_bundle
from .terminology import Terminology, load_terminology

__all__ = [
    "FHIR_JSON",
    "Bundles",
    "Extraction",
    "FhirInputError",
    "NotAnAdult",
    "Terminology",
    "extract",
    "load_terminology",
    "operation_outcome",
    "risk_bundle",
]
