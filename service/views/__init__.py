"""HTTP views: thin functions that load a schema, call the core and write JSON (or render a page)."""

from .assessments import blp as assessments
from .cds import SIGNED_ENDPOINTS
from .cds import blp as cds
from .clinician import blp as clinician
from .docs import blp as docs
from .fhir import blp as fhir
from .model_table import blp as model_table
from .operations import blp as operations

API_BLUEPRINTS = (assessments, model_table, fhir, cds, operations)  # documented in the OpenAPI contract

__all__ = ["API_BLUEPRINTS", "SIGNED_ENDPOINTS", "clinician", "docs"]
