"""CDS Hooks 2.0: GET /cds-services (discovery) and one POST per service (cards)."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import ValidationError

from schemas.cds import CardsSchema, DiscoverySchema, OrderSelectRequestSchema, PatientViewRequestSchema

from ..api import operation
from ..cds import ORDER_SELECT, PATIENT_VIEW, discovery, respond
from ..fhir import FhirInputError, load_terminology
from ..jsonio import json_response, read_json_object
from ..problems import MALFORMED, problem, validation_errors

blp = Blueprint("cds", __name__, url_prefix="/cds-services", description="CDS Hooks 2.0 services.")
_patient_view = PatientViewRequestSchema()
_order_select = OrderSelectRequestSchema()
_CALL = "Malformed calls are answered 400, naming the fields."


@blp.route("", methods=["GET"])
@blp.doc(
    operationId="discoverCdsServices",
    **operation(DiscoverySchema, "The services and their prefetch templates."),
)
def discover():
    """Discover the CDS services

    The `patient-view` and `order-select` services, with prefetch templates for exactly the
    data the FHIR mapping reads.
    """
    title = current_app.extensions["assessor"].model.document["title"]
    return json_response(discovery(load_terminology(), title))


@blp.route(f"/{PATIENT_VIEW}", methods=["POST"])
@blp.doc(
    operationId="callPatientView",
    **operation(
        CardsSchema,
        "Cards.",
        errors=(400, 413, 415),
        request_schema=PatientViewRequestSchema,
        request_description=_CALL,
    ),
)
def patient_view():
    """Patient opened: risk cards

    One card per outcome (low → info, moderate → warning, high → critical), and one more when
    unknown data could raise a tier. Data not prefetched is fetched from `fhirServer`.
    """
    return _answer(_patient_view)


@blp.route(f"/{ORDER_SELECT}", methods=["POST"])
@blp.doc(
    operationId="callOrderSelect",
    **operation(
        CardsSchema,
        "Cards.",
        errors=(400, 413, 415),
        request_schema=OrderSelectRequestSchema,
        request_description=_CALL,
    ),
)
def order_select():
    """Spinal fusion ordered: risk cards

    When a selected draft order is a spinal fusion, the same cards as patient-view, using the
    order's levels and region; otherwise no cards.
    """
    return _answer(_order_select)


def _answer(schema):
    call = schema.load(read_json_object(current_app.config["MAX_FHIR_BODY_BYTES"]))
    extensions = current_app.extensions
    return json_response(
        respond(call, extensions["assessor"], extensions["fhir_fetcher"], load_terminology())
    )


@blp.errorhandler(ValidationError)
def _malformed_call(error: ValidationError):
    return problem(400, "The hook call is malformed.", kind=MALFORMED, errors=validation_errors(error))


@blp.errorhandler(FhirInputError)
def _malformed_prefetch(error: FhirInputError):
    messages = [f"{' '.join(i.get('expression', []))}: {i['diagnostics']}" for i in error.issues]
    return problem(
        400, "The prefetch or draft orders are not valid FHIR.", kind=MALFORMED, errors={"prefetch": messages}
    )
