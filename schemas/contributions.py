"""Wire format of what an outcome names: the factors considered, those contributing, the tier and
points ranges, the typical published rate and the what-ifs."""

from __future__ import annotations

from marshmallow import fields, validate

from .evidence import EvidenceSchema
from .fields import OpenSchema, StrictBoolean, StrictInteger, doc
from .named import Choice
from .patient import MODEL

TIERS = tuple(tier for tier, _ in MODEL.tiers)
WHAT_IF_PHASES = tuple(MODEL.document["what_if_phases"])
TYPICAL = MODEL.document["typical_rates"]
EXAMPLE_RATE = next(block for block in MODEL.typical.blocks.values() if block)  # the first rate shown


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
        required=True,
        validate=Choice("RiskTier", TIERS),
        **doc("Tier with unknown factors absent.", "moderate"),
    )
    highest = fields.String(
        required=True,
        validate=Choice("RiskTier", TIERS),
        **doc("Tier with unknown factors at their worst.", "high"),
    )


class PointsRangeSchema(OpenSchema):
    lowest = StrictInteger(required=True, **doc("Points from the known factors (unknowns absent)."))
    highest = StrictInteger(
        required=True, **doc("Points with unknown factors at their worst, the non-union link included.")
    )


class RateClassSchema(OpenSchema):
    id = fields.String(
        required=True,
        validate=Choice("RateClassId", (c["id"] for c in TYPICAL["classes"])),
        **doc("The kind of operation (see `typical_rates` in GET /v1/model).", EXAMPLE_RATE["class"]["id"]),
    )
    label = fields.String(
        required=True, **doc("The kind of operation in words.", EXAMPLE_RATE["class"]["label"])
    )


class TypicalRateSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = (
            f"{TYPICAL['label']}: how often the outcome was reported after this kind of operation, per "
            f"{TYPICAL['per']} patients, as the lowest and highest verified published estimate. It is not a "
            "percentage for this patient and is never combined with the tier."
        )

    class_ = fields.Nested(
        RateClassSchema, data_key="class", required=True, metadata={"description": "The kind of operation."}
    )
    low = StrictInteger(
        required=True, **doc("Lowest counted estimate, per `per` patients.", EXAMPLE_RATE["low"])
    )
    high = StrictInteger(
        required=True, **doc("Highest counted estimate, per `per` patients.", EXAMPLE_RATE["high"])
    )
    per = StrictInteger(
        required=True, validate=validate.Equal(TYPICAL["per"]), **doc("Patients.", TYPICAL["per"])
    )
    definition = fields.String(required=True, **doc("What was counted.", EXAMPLE_RATE["definition"]))
    horizon = fields.String(
        required=True,
        **doc("When it was counted, as the counted sources report it.", EXAMPLE_RATE["horizon"]),
    )
    references = fields.List(
        fields.String(),
        required=True,
        **doc("Ids of the studies counted (entries of `references`).", EXAMPLE_RATE["references"]),
    )
    label = fields.String(
        required=True,
        validate=validate.Equal(TYPICAL["label"]),
        **doc("What the numbers are.", TYPICAL["label"]),
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
    phases = fields.List(
        fields.String(validate=Choice("CarePhase", WHAT_IF_PHASES)),
        required=True,
        **doc(
            "When the change is backed by evidence: "
            + ", ".join(f"`{k}` ({v})" for k, v in MODEL.document["what_if_phases"].items())
            + ". With `days_since_surgery`, only changes with `post_operative` are offered.",
            ["pre_operative", "post_operative"],
        ),
    )
    risk = fields.String(
        required=True,
        validate=Choice("RiskTier", TIERS),
        **doc("The tier after the change: the highest of its range, as the outcome's `risk`.", "moderate"),
    )
    points = StrictInteger(
        required=True, metadata={"description": "The points from the known factors after the change."}
    )
    points_change = fields.String(
        required=True,
        **doc(
            "The change in words: the tier after it, and the points before and after (a range when factors "
            "are unknown).",
            "high, 8 → 7 points",
        ),
    )
