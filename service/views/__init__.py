"""HTTP views: thin functions that load a schema, call the core and write JSON (or render a page)."""

from flask_smorest import Blueprint

from ..fhir import Terminology
from ..http.endpoint import AssessmentEndpoint
from .assessments import blueprint as assessments
from .cds import SIGNED_ENDPOINTS
from .cds import blp as cds
from .clinician import blp as clinician
from .docs import blp as docs
from .fhir import blp as fhir
from .fhir_conformance import blueprint as fhir_conformance
from .model_table import blp as model_table
from .operations import blp as operations


def api_blueprints(assessment_endpoint: AssessmentEndpoint, terms: Terminology) -> tuple[Blueprint, ...]:
    """Return the blueprints documented in the OpenAPI contract, in its order; POST /v1/assessments
    is routed to the app's own endpoint object, the FHIR conformance resources to the ids in `terms`."""
    return (assessments(assessment_endpoint), model_table, fhir, fhir_conformance(terms), cds, operations)


__all__ = ["SIGNED_ENDPOINTS", "api_blueprints", "clinician", "docs"]
