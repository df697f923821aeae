"""Wire format of the FHIR endpoint: the Bundle accepted (JSON Schema, also enforced at run
time, so the contract and the service agree) and the resources returned."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .fields import OpenSchema
from .patient import MODEL

MAX_BUNDLE_ENTRIES = 2000  # a patient's Bundle, or one prefetch search: more is refused before any reading
FHIR_DATE = r"^([0-9]{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
FHIR_DATETIME = (
    r"^([0-9]{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$"
)


def _when(resource_type: str, then: dict) -> dict:
    return {"if": {"properties": {"resourceType": {"const": resource_type}}}, "then": {"properties": then}}


_CODEABLE = {"type": "object", "properties": {"coding": {"type": "array", "items": {"type": "object"}}}}
_QUANTITY = {"type": "object", "properties": {"value": {"type": "number"}, "code": {"type": "string"}}}
_IS_PATIENT = {
    "type": "object",
    "required": ["resource"],
    "properties": {
        "resource": {
            "type": "object",
            "required": ["resourceType"],
            "properties": {"resourceType": {"const": "Patient"}},
        }
    },
}

# The elements the service reads are typed; everything else in a resource is free.
RESOURCE = {
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string", "minLength": 1}, "id": {"type": "string"}},
    "allOf": [
        _when("Patient", {"birthDate": {"type": "string", "pattern": FHIR_DATE}}),
        _when(
            "Observation",
            {
                "status": {"type": "string"},
                "code": _CODEABLE,
                "valueQuantity": _QUANTITY,
                "valueCodeableConcept": _CODEABLE,
                "effectiveDateTime": {"type": "string", "pattern": FHIR_DATETIME},
            },
        ),
        _when("Condition", {"code": _CODEABLE, "clinicalStatus": _CODEABLE, "verificationStatus": _CODEABLE}),
    ],
}

# A prefetch value or a draft-order Bundle: one resource, or a Bundle of them (typed the same way).
RESOURCE_OR_BUNDLE = {
    "allOf": [
        RESOURCE,
        {
            "if": {"properties": {"resourceType": {"const": "Bundle"}}},
            "then": {
                "properties": {
                    "entry": {
                        "type": "array",
                        "maxItems": MAX_BUNDLE_ENTRIES,
                        "items": {"type": "object", "properties": {"resource": RESOURCE}},
                    }
                }
            },
        },
    ]
}

BUNDLE = {
    "type": "object",
    "description": "A FHIR R4 Bundle (any type) holding exactly one Patient and the resources about "
    "them: Observations (smoking status, BMI, height, weight, HbA1c, DXA T-scores), Conditions, "
    "MedicationStatements/Requests and the planned ServiceRequest or Procedure. See docs/fhir-mapping.md.",
    "required": ["resourceType", "entry"],
    "properties": {
        "resourceType": {"const": "Bundle", "description": "Always `Bundle`."},
        "entry": {
            "type": "array",
            "description": "The resources: exactly one Patient, and what the service reads about them "
            "(anything else is ignored).",
            "maxItems": MAX_BUNDLE_ENTRIES,
            "items": {
                "type": "object",
                "properties": {"fullUrl": {"type": "string"}, "resource": RESOURCE},
                # The RiskAssessment refers to the Patient: by `Patient/id`, else by the entry's fullUrl.
                "if": _IS_PATIENT,
                "then": {
                    "anyOf": [{"required": ["fullUrl"]}, {"properties": {"resource": {"required": ["id"]}}}]
                },
            },
            "contains": _IS_PATIENT,
            "minContains": 1,
            "maxContains": 1,
        },
    },
}


# Plain JSON Schemas the contract names as components (a generated client gets one model each, however
# many media types or operations use them).
JSON_SCHEMAS = {"FhirBundle": BUNDLE}


def reference(name: str) -> dict[str, str]:
    """Return the contract's reference to one of `JSON_SCHEMAS`."""
    assert name in JSON_SCHEMAS, name
    return {"$ref": f"#/components/schemas/{name}"}


class FhirResourceSchema(OpenSchema):
    """A FHIR resource (documented loosely: FHIR defines it)."""

    resourceType = fields.String(
        required=True, metadata={"description": "The FHIR resource type.", "example": "Bundle"}
    )


class OperationOutcomeSchema(FhirResourceSchema):
    class Meta(OpenSchema.Meta):
        description = "A FHIR OperationOutcome: how FHIR clients receive errors from this endpoint."

    issue = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "Issues with severity, code, diagnostics and the FHIRPath `expression` at fault."
        },
    )


_LEVELS = MODEL.inputs["levels_fused"]


class FhirQuerySchema(Schema):
    """The FHIR endpoint's query: what the bundle cannot say."""

    date = fields.Date(
        metadata={
            "description": "Assessment date (YYYY-MM-DD) for age and `occurrence`; default today (UTC)."
        }
    )
    levels_fused = fields.Integer(
        validate=validate.Range(_LEVELS["min"], _LEVELS["max"]),
        metadata={
            "description": f"Levels to be fused ({_LEVELS['min']}–{_LEVELS['max']}), when the bundle's "
            "planned procedure does not say."
        },
    )


FHIR_TYPES: dict[type, str] = {fields.Date: "date", fields.Integer: "integer"}


def query_parameters() -> dict[str, tuple[str, str]]:
    """Return each query parameter of the FHIR operation with its FHIR type and meaning."""
    return {
        name: (FHIR_TYPES[type(field)], field.metadata["description"])
        for name, field in FhirQuerySchema().fields.items()
    }
