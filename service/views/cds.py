"""CDS Hooks 2.0: GET /cds-services (discovery) and one POST per service (cards)."""

from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from schemas.cds_hooks import CardsSchema, DiscoverySchema, OrderSelectRequestSchema, PatientViewRequestSchema
from schemas.standards_examples import ORDER_SELECT_EXAMPLES, PATIENT_VIEW_EXAMPLES

from ..cds import ORDER_SELECT, PATIENT_VIEW, CardSettings, discovery, respond
from ..fhir import FhirInputError
from ..formats import AS_CDS, AS_JSON
from ..http.answer import answer
from ..http.api import operation
from ..http.problems import MALFORMED, problem, validation_errors
from ..http.security import public_url
from ..services import services

blp = Blueprint("cds", __name__, url_prefix="/cds-services", description="CDS Hooks 2.0 services.")
_patient_view = PatientViewRequestSchema()
_order_select = OrderSelectRequestSchema()
_CALL = "Malformed calls are answered 400, naming the fields."
# The hook calls: with CDS_CLIENTS set, each needs a JWT signed by a configured EHR.
SIGNED_ENDPOINTS = ("cds.patient_view", "cds.order_select")


@blp.route("", methods=["GET"])
@blp.doc(
    operationId="discoverCdsServices",
    **operation(DiscoverySchema, "The services and their prefetch templates.", secured=False),
)
def discover():
    """Discover the CDS services

    The `patient-view` and `order-select` services, with prefetch templates for exactly the
    data the FHIR mapping reads.
    """
    found = services()
    return answer(AS_JSON, discovery(found.terminology, found.model.document["title"]))


@blp.route(f"/{PATIENT_VIEW}", methods=["POST"])
@blp.doc(
    operationId="callPatientView",
    **operation(
        CardsSchema,
        "Cards.",
        errors=(400, 408, 413, 415),
        request_schema=PatientViewRequestSchema,
        examples=PATIENT_VIEW_EXAMPLES,
        request_description=_CALL,
    ),
)
def patient_view():
    """Patient opened: risk cards

    One card per outcome, its indicator following the highest tier the data allows (high →
    critical), and one more when unknown data could raise a tier; cards only when the patient has a
    planned or recent spinal fusion. Data not prefetched is fetched from `fhirServer`. With
    CDS_CLIENTS set, the bearer token is the EHR's signed JWT (CDS Hooks 2.0), not an API key.
    """
    return _answer(_patient_view)


@blp.route(f"/{ORDER_SELECT}", methods=["POST"])
@blp.doc(
    operationId="callOrderSelect",
    **operation(
        CardsSchema,
        "Cards.",
        errors=(400, 408, 413, 415),
        request_schema=OrderSelectRequestSchema,
        examples=ORDER_SELECT_EXAMPLES,
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
    found = services()
    call = schema.load(found.cds_body(request.environ))
    # The model page is linked only under PUBLIC_BASE_URL: the request's own Host is the client's to
    # choose, and a card must not carry a link to wherever it names.
    config = current_app.config
    page = public_url("/model") if config["PUBLIC_BASE_URL"] else None
    settings = CardSettings(page, config["CDS_PATIENT_VIEW_NEEDS_FUSION"], config["CDS_EXPLAIN_NO_CARD"])
    return answer(AS_CDS, respond(call, found.assessor, found.fetcher, found.bundles, settings))


@blp.errorhandler(ValidationError)
def _malformed_call(error: ValidationError):
    return problem(400, "The hook call is malformed.", kind=MALFORMED, errors=validation_errors(error))


@blp.errorhandler(FhirInputError)
def _malformed_prefetch(error: FhirInputError):
    messages = [f"{' '.join(i.get('expression', []))}: {i['diagnostics']}" for i in error.issues]
    return problem(
        400, "The prefetch or draft orders are not valid FHIR.", kind=MALFORMED, errors={"prefetch": messages}
    )
