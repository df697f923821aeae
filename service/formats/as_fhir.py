"""FHIR R4 JSON: a FHIR resource (a Bundle of RiskAssessments, an OperationOutcome)."""

from __future__ import annotations

from ..fhir.render import FHIR_JSON
from .as_json import encode
from .renderer import Renderer

AS_FHIR = Renderer(FHIR_JSON, encode)
