"""Wire format of what an outcome names: the factors considered, those contributing, the tier
range and the what-ifs."""

from __future__ import annotations

from marshmallow import fields, validate

from .evidence import EvidenceSchema
from .fields import OpenSchema, StrictBoolean, StrictInteger, doc
from .patient import MODEL

TIERS = tuple(tier for tier, _ in MODEL.tiers)


_VALUE = {
    "type": ["string", "number", "boolean"],  # allow_none adds null
    "description": "The factor's input as sent (null for a derived factor's missing input).",
    "example": "current",
}


class ConsideredFactorSchema(OpenSchema):
    factor = fields.String(required=True, **doc("Factor id, as in GET /v1/model.", "osteoporosis"))
    label = fields.String(required=True, **doc("Plain-language name of the factor.", "osteoporosis"))
    value = fields.Raw(required=True, allow_none=True, metadata=_VALUE)
    basis = fields.String(
        **doc("The measurement that decided the category, when a refinement did.", "DXA T-score -2.8")
    )
    category = fields.String(
        required=True, **doc("The model's category for this value.", "no low bone density recorded")
    )
    points = StrictInteger(required=True, **doc("Points this factor adds to the outcome.", 0))
    note = fields.String(
        **doc(
            "Why this factor adds nothing here, when that needs saying.",
            "Smoking reaches this outcome only through the risk of non-union.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema), metadata={"description": "Evidence behind the note."}
    )


class ContributingFactorSchema(ConsideredFactorSchema):
    modifiable = StrictBoolean(
        required=True, **doc("True when the patient or care team can change this factor.", True)
    )
    explanation = fields.String(
        required=True,
        **doc(
            "Why this factor matters for this outcome, in plain language.",
            "Tobacco smoke narrows the small blood vessels that feed the graft.",
        ),
    )
    advice = fields.String(
        **doc(
            "What can be done about it (modifiable factors only).",
            "Stopping smoking well before surgery lowers this risk.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema),
        required=True,
        metadata={"description": "The studies behind the points, with effect sizes and certainty."},
    )


class RiskRangeSchema(OpenSchema):
    lowest = fields.String(
        required=True, validate=validate.OneOf(TIERS), **doc("Tier with unknown factors absent.", "moderate")
    )
    highest = fields.String(
        required=True,
        validate=validate.OneOf(TIERS),
        **doc("Tier with unknown factors at their worst.", "high"),
    )


class WhatIfSchema(OpenSchema):
    id = fields.String(
        required=True,
        **doc(
            "The change's id in the model (`all_changes`: every change offered, together).", "stop_smoking"
        ),
    )
    change = fields.String(
        required=True,
        **doc(
            "A change the patient can make.", "stop smoking now and stay off it until the fusion has healed"
        ),
    )
    risk = fields.String(
        required=True, validate=validate.OneOf(TIERS), **doc("The tier after the change.", "moderate")
    )
    points = StrictInteger(required=True, metadata={"description": "The points after the change."})
