"""GET /v1/fhir/metadata and the conformance resources it names: open like the contract (no patient
data), as FHIR JSON, built from the FHIR mapping and the model on each read."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from schemas.fhir_bundle import BUNDLE, FhirResourceSchema, query_parameters

from ..fhir import FHIR_JSON, load_terminology
from ..fhir.capability import capability_statement, risk_operation
from ..fhir.conformance import outcome_code_system, range_extension
from ..http.api import operation
from ..http.body import json_response
from ..http.security import public_url
from ..services import services
from .fhir import fhir_errors

blp = Blueprint(
    "fhir_conformance", __name__, url_prefix="/v1/fhir", description="FHIR R4 conformance resources."
)
fhir_errors(blp)
BASE = "/v1/fhir"
IDS = {key: row["id"] for key, row in load_terminology().table["conformance"].items()}  # the routes' ids


def _read(description: str) -> dict:
    return operation(FhirResourceSchema, description, secured=False, media_type=FHIR_JSON)


def _answer(resource: dict):
    return json_response(resource, mimetype=FHIR_JSON)


@blp.route("/metadata", methods=["GET"])
@blp.doc(operationId="getFhirMetadata", **_read("The CapabilityStatement."))
def metadata():
    """FHIR capability statement

    What this FHIR base offers: the risk operation, and read access to the CodeSystem, the
    StructureDefinition and the OperationDefinition that define its output.
    """
    found = services()
    version = current_app.config["API_VERSION"]
    return _answer(capability_statement(found.terminology.table, found.model, public_url(BASE), version))


@blp.route(f"/CodeSystem/{IDS['outcome_code_system']}", methods=["GET"])
@blp.doc(operationId="getFhirOutcomeCodeSystem", **_read("The CodeSystem."))
def codes():
    """FHIR CodeSystem of the outcomes

    The codes of `RiskAssessment.prediction.outcome` (its canonical url is the system the
    RiskAssessments carry).
    """
    found = services()
    return _answer(outcome_code_system(found.terminology.table, found.model))


@blp.route(f"/StructureDefinition/{IDS['range_extension']}", methods=["GET"])
@blp.doc(operationId="getFhirRiskRangeExtension", **_read("The StructureDefinition."))
def extension():
    """FHIR StructureDefinition of the risk-range extension

    The extension on `RiskAssessment.prediction` holding the lowest and highest tier when unknown
    data widens the range.
    """
    found = services()
    return _answer(range_extension(found.terminology.table, found.model))


@blp.route(f"/OperationDefinition/{IDS['operation']}", methods=["GET"])
@blp.doc(operationId="getFhirRiskOperation", **_read("The OperationDefinition."))
def definition():
    """FHIR OperationDefinition of the risk operation

    POST /v1/fhir/risk-assessments as FHIR states an operation: its inputs and its output.
    """
    found = services()
    table, bundle = found.terminology.table, str(BUNDLE["description"])
    return _answer(risk_operation(table, found.model, bundle, query_parameters()))
