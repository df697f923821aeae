"""GET /v1/fhir/metadata and the conformance resources it names: open like the contract (no patient
data), as FHIR JSON, built from the FHIR mapping and the model on each read. The routes' ids are the
mapping's: the blueprint is made by the factory with its terminology."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from schemas.fhir_bundle import BUNDLE, FhirResourceSchema, query_parameters

from ..fhir import FHIR_JSON, Terminology
from ..fhir.capability import capability_statement, risk_operation
from ..fhir.conformance import outcome_code_system, range_extension
from ..formats import AS_FHIR
from ..http.answer import answer
from ..http.api import operation
from ..http.security import public_url
from ..services import services
from .fhir import fhir_errors

BASE = "/v1/fhir"


def blueprint(terms: Terminology) -> Blueprint:
    """Return the blueprint serving each resource at its id in the mapping's conformance section."""
    blp = Blueprint(
        "fhir_conformance", __name__, url_prefix=BASE, description="FHIR R4 conformance resources."
    )
    fhir_errors(blp)
    ids = {key: row["id"] for key, row in terms.table["conformance"].items()}
    for rule, view in (
        ("/metadata", metadata),
        (f"/CodeSystem/{ids['outcome_code_system']}", codes),
        (f"/StructureDefinition/{ids['range_extension']}", extension),
        (f"/OperationDefinition/{ids['operation']}", definition),
    ):
        blp.add_url_rule(rule, view.__name__, view, methods=["GET"])
    return blp


def _read(operation_id: str, description: str) -> dict:
    documented = operation(FhirResourceSchema, description, secured=False, media_type=FHIR_JSON)
    return {"operationId": operation_id, **documented}


@Blueprint.doc(**_read("getFhirMetadata", "The CapabilityStatement."))
def metadata():
    """FHIR capability statement

    What this FHIR base offers: the risk operation, and read access to the CodeSystem, the
    StructureDefinition and the OperationDefinition that define its output.
    """
    found = services()
    version = current_app.config["API_VERSION"]
    return answer(
        AS_FHIR, capability_statement(found.terminology.table, found.model, public_url(BASE), version)
    )


@Blueprint.doc(**_read("getFhirOutcomeCodeSystem", "The CodeSystem."))
def codes():
    """FHIR CodeSystem of the outcomes

    The codes of `RiskAssessment.prediction.outcome` (its canonical url is the system the
    RiskAssessments carry).
    """
    found = services()
    return answer(AS_FHIR, outcome_code_system(found.terminology.table, found.model))


@Blueprint.doc(**_read("getFhirRiskRangeExtension", "The StructureDefinition."))
def extension():
    """FHIR StructureDefinition of the risk-range extension

    The extension on `RiskAssessment.prediction` holding the lowest and highest tier when unknown
    data widens the range.
    """
    found = services()
    return answer(AS_FHIR, range_extension(found.terminology.table, found.model))


@Blueprint.doc(**_read("getFhirRiskOperation", "The OperationDefinition."))
def definition():
    """FHIR OperationDefinition of the risk operation

    POST /v1/fhir/risk-assessments as FHIR states an operation: its inputs and its output.
    """
    found = services()
    table, bundle = found.terminology.table, str(BUNDLE["description"])
    return answer(AS_FHIR, risk_operation(table, found.model, bundle, query_parameters()))
