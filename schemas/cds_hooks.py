"""Wire format of CDS Hooks 2.0: discovery, the hook request of each service, and cards."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from .fhir_bundle import MAX_BUNDLE_ENTRIES, RESOURCE_OR_BUNDLE
from .fields import FullMatch, MatchesJsonSchema, OpenSchema, StrictInteger, doc
from .named import Choice
from .patient import MODEL

CARD_SUMMARY_LIMIT = 140  # CDS Hooks 2.0: a card's summary is shorter than this, in characters
FHIR_ID = r"^(?!\.{1,2}$)[A-Za-z0-9\-.]{1,64}$"  # a FHIR id, and never "." or ".." (a path step)


class _Lenient(Schema):
    """EHRs add fields the spec allows (extensions): unknown fields are ignored, not refused."""

    class Meta:
        unknown = EXCLUDE


class FhirAuthorizationSchema(_Lenient):
    access_token = fields.String(
        required=True, **doc("OAuth 2.0 access token for `fhirServer`.", "token-abc")
    )
    token_type = fields.String(
        required=True, validate=validate.OneOf(["Bearer"]), **doc("Always `Bearer`.", "Bearer")
    )
    expires_in = StrictInteger(metadata={"description": "Seconds the token stays valid."})
    scope = fields.String(**doc("Scopes granted.", "patient/*.read"))
    subject = fields.String(**doc("The OAuth client id of this service.", "spinal-fusion-risk"))


class PatientViewContextSchema(_Lenient):
    userId = fields.String(**doc("The user, as a FHIR reference.", "Practitioner/example"))
    patientId = fields.String(
        required=True,
        validate=FullMatch(FHIR_ID),
        **doc("FHIR id of the patient in context.", "pat-complete"),
    )
    encounterId = fields.String(**doc("FHIR id of the encounter in context.", "enc-1"))


class OrderSelectContextSchema(PatientViewContextSchema):
    selections = fields.List(
        fields.String(),
        required=True,
        **doc("References of the orders just selected.", ["ServiceRequest/sr-fusion"]),
    )
    draftOrders = fields.Raw(
        required=True,
        validate=MatchesJsonSchema(RESOURCE_OR_BUNDLE),
        metadata={"description": "A Bundle of the draft orders being signed.", **RESOURCE_OR_BUNDLE},
    )


_PREFETCH = fields.Dict(
    keys=fields.String(),
    values=fields.Raw(
        allow_none=True,
        validate=MatchesJsonSchema(RESOURCE_OR_BUNDLE),
        metadata={
            "description": "A resource or search Bundle answering the template of this key; null if "
            "the EHR could not prefetch it.",
            "anyOf": [{"type": "null"}, RESOURCE_OR_BUNDLE],
        },
    ),
    metadata={"description": "Answers to the service's prefetch templates, by key (see discovery)."},
)
_SERVER = fields.String(
    # Also the published pattern: explicit ranges read the same in Python and ECMAScript regex.
    validate=FullMatch(r"^https?://[^\x00-\x20/?#@]+(/[^\x00-\x20?#]*)?$"),
    metadata={
        "description": "Base URL of the EHR's FHIR server, for data not prefetched.",
        "example": "https://ehr.example/fhir",
    },
)
_AUTHORIZATION = fields.Nested(
    FhirAuthorizationSchema, metadata={"description": "Access to `fhirServer`; its token is never logged."}
)
_INSTANCE = fields.String(
    required=True,
    validate=validate.Length(min=1),
    **doc("A UUID for this hook call.", "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"),
)


class PatientViewRequestSchema(_Lenient):
    @pre_load
    def _bounded(self, data, **kwargs):
        """Refuse more prefetched entries than a Bundle may hold before any of them is checked."""
        prefetch = data.get("prefetch") if isinstance(data, dict) else None
        if isinstance(prefetch, dict):
            entries = [v.get("entry") for v in prefetch.values() if isinstance(v, dict)]
            if sum(len(e) for e in entries if isinstance(e, list)) > MAX_BUNDLE_ENTRIES:
                raise ValidationError({"prefetch": [f"More than {MAX_BUNDLE_ENTRIES} entries in all."]})
        return data

    hook = fields.String(
        required=True, validate=validate.OneOf(["patient-view"]), **doc("The hook.", "patient-view")
    )
    hookInstance = _INSTANCE
    fhirServer = _SERVER
    fhirAuthorization = _AUTHORIZATION
    context = fields.Nested(
        PatientViewContextSchema, required=True, metadata={"description": "The hook context."}
    )
    prefetch = _PREFETCH


class OrderSelectRequestSchema(PatientViewRequestSchema):
    hook = fields.String(
        required=True, validate=validate.OneOf(["order-select"]), **doc("The hook.", "order-select")
    )
    context = fields.Nested(
        OrderSelectContextSchema, required=True, metadata={"description": "The hook context."}
    )


class SourceSchema(OpenSchema):
    label = fields.String(
        required=True,
        **doc("The model and its version.", f"{MODEL.document['title']}, model {MODEL.version}"),
    )
    url = fields.String(
        **doc(
            "The model page: how the risk is worked out (only when the service knows its public URL, "
            "PUBLIC_BASE_URL).",
            "https://cds.example.org/model",
        )
    )


class LinkSchema(OpenSchema):
    label = fields.String(required=True, **doc("What the link opens.", "How this risk is worked out"))
    url = fields.String(required=True, **doc("An absolute URL.", "https://cds.example.org/model"))
    type = fields.String(
        required=True, validate=validate.OneOf(["absolute"]), **doc("Always `absolute`.", "absolute")
    )


class CardSchema(OpenSchema):
    uuid = fields.String(
        required=True, **doc("Stable id of the card, for feedback.", "3f0e7c1a-5b0e-5a44-9b9e-2f6f0c7f4c11")
    )
    summary = fields.String(
        required=True,
        validate=validate.Length(max=CARD_SUMMARY_LIMIT - 1),
        **doc(
            f"One line under {CARD_SUMMARY_LIMIT} characters.",
            "High risk of non-union, driven mainly by smoking.",
        ),
    )
    indicator = fields.String(
        required=True,
        validate=Choice("CardIndicator", ("info", "warning", "critical")),
        **doc(
            "The highest tier the data allows: low → info, moderate → warning, high → critical.", "critical"
        ),
    )
    detail = fields.String(
        required=True, **doc("Markdown: the factors, what can be changed.", "**High risk** (7 points).")
    )
    source = fields.Nested(
        SourceSchema, required=True, metadata={"description": "Where the card comes from."}
    )
    links = fields.List(
        fields.Nested(LinkSchema),
        metadata={"description": "The model page (risk cards, when the service knows its public URL)."},
    )


class CardsSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "CDS Hooks response: a card per outcome, one more if unknown data could raise a tier."

    cards = fields.List(fields.Nested(CardSchema), required=True, metadata={"description": "The cards."})


class ServiceSchema(OpenSchema):
    hook = fields.String(required=True, **doc("The hook it answers.", "patient-view"))
    id = fields.String(required=True, **doc("Service id: POST /cds-services/{id}.", "spinal-fusion-risk"))
    title = fields.String(required=True, **doc("Title.", "Spinal-fusion complication risk"))
    description = fields.String(
        required=True, **doc("What it does.", "Risk of non-union and hardware failure.")
    )
    prefetch = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        **doc("FHIR query templates the EHR should answer.", {"patient": "Patient/{{context.patientId}}"}),
    )


class DiscoverySchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "CDS Hooks discovery: the services offered."

    services = fields.List(fields.Nested(ServiceSchema), required=True, metadata={"description": "Services."})
