"""Wire format of an assessment: the (open) response body of POST /v1/assessments."""

from __future__ import annotations

from marshmallow import fields, validate

from service.core.publish import flat

from .contributions import (
    TIERS,
    TYPICAL,
    ConsideredFactorSchema,
    ContributingFactorSchema,
    PointsRangeSchema,
    RateClassSchema,
    RiskRangeSchema,
    TypicalRateSchema,
    WhatIfSchema,
)
from .evidence import ReferenceSchema
from .fields import OpenSchema, StrictBoolean, StrictInteger, doc
from .named import Choice
from .notices import AdviceSchema, UnknownFactorSchema, WarningSchema
from .patient import MODEL
from .symptom_review import SymptomReviewSchema

SUMMARY_LENGTH = MODEL.summary["max_length"] - 1  # a summary is shorter than the table's limit


def _tier_meanings() -> str:
    """The tiers and what each means, as the table states them."""
    return " ".join(f"`{t['id']}`: {flat(t['meaning'])}" for t in MODEL.document["tiers"])


class ModelRefSchema(OpenSchema):
    id = fields.String(required=True, **doc("Model identifier.", "spinal-fusion-complications"))
    version = fields.String(required=True, **doc("Model version (semantic versioning).", MODEL.version))


RISK = (
    "The headline tier: the highest tier of `risk_range`, so missing data never reads as reassurance. "
    "Changed in model 1.2.0: it was the tier of the known factors (now `risk_range.lowest`); it differs "
    "from that only when `determinate` is false. "
)


class OutcomeSchema(OpenSchema):
    risk = fields.String(
        required=True,
        validate=Choice("RiskTier", TIERS),
        **doc(RISK + _tier_meanings(), "high"),
    )
    risk_range = fields.Nested(
        RiskRangeSchema,
        required=True,
        metadata={"description": "Tier range; equal bounds when nothing is unknown."},
    )
    points = StrictInteger(
        required=True,
        metadata={"description": "Total points from the known factors (`points_range.lowest`)."},
    )
    points_range = fields.Nested(
        PointsRangeSchema,
        required=True,
        metadata={"description": "Points from the known factors to the unknown ones at their worst."},
    )
    determinate = StrictBoolean(
        required=True,
        **doc("True when both ends of `risk_range` are the same tier: the unknowns cannot change it.", True),
    )
    summary = fields.String(
        required=True,
        validate=validate.Length(max=SUMMARY_LENGTH),
        **doc(
            f"One line under {MODEL.summary['max_length']} characters naming the main drivers (when the "
            "range spans tiers: the range and what was counted).",
            "High risk of non-union, driven mainly by smoking and diabetes.",
        ),
    )
    typical_rate = fields.Nested(
        TypicalRateSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": f"{TYPICAL['label']}. Null: {TYPICAL['none']} (no verified estimate, or the "
            "inputs do not name a kind of operation the model has one for)."
        },
    )
    contributing_factors = fields.List(
        fields.Nested(ContributingFactorSchema),
        required=True,
        metadata={"description": "Factors adding points, most points first."},
    )
    other_factors_considered = fields.List(
        fields.Nested(ConsideredFactorSchema),
        required=True,
        metadata={"description": "Known factors checked that add no points to this outcome."},
    )
    what_if = fields.List(
        fields.Nested(WhatIfSchema),
        required=True,
        metadata={
            "description": "The result after each change the patient could make, and all of them together "
            "when two or more apply; a change that would not alter this outcome is left out."
        },
    )


class OutcomesSchema(OpenSchema):
    pseudarthrosis = fields.Nested(
        OutcomeSchema, required=True, metadata={"description": "Non-union: the fusion does not heal solid."}
    )
    hardware_failure = fields.Nested(
        OutcomeSchema,
        required=True,
        metadata={"description": "Screws loosen or pull out, rods break, cages sink."},
    )


class AssessmentSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "The risk assessment of one patient for both outcomes."

    model = fields.Nested(
        ModelRefSchema, required=True, metadata={"description": "The model that scored this."}
    )
    outcomes = fields.Nested(
        OutcomesSchema, required=True, metadata={"description": "One result per outcome."}
    )
    operation_class = fields.Nested(
        RateClassSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "The kind of operation the inputs name, for the typical published rates (null: "
            "they name none the model has); an outcome may still show no rate for it."
        },
    )
    unknown_factors = fields.List(
        fields.Nested(UnknownFactorSchema),
        required=True,
        metadata={"description": "Core factors sent as null; they widen `risk_range`."},
    )
    warnings = fields.List(
        fields.Nested(WarningSchema),
        required=True,
        metadata={"description": "Inputs to double-check; each has a stable code."},
    )
    advice = fields.List(
        fields.Nested(AdviceSchema),
        required=True,
        metadata={
            "description": "Advice that adds no points, for the patient's phase (after surgery when "
            "`days_since_surgery` is sent)."
        },
    )
    symptom_review = fields.Nested(
        SymptomReviewSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Review of the reported `symptoms`: null when symptoms were not asked (absent or "
            "null); `symptoms: []` (asked, none reported) gives a review with status `none_reported`."
        },
    )
    references = fields.List(
        fields.Nested(ReferenceSchema),
        required=True,
        metadata={"description": "Exactly the references cited in this response."},
    )
    disclaimer = fields.String(
        required=True,
        **doc("What this result is and is not.", "Decision support, not a diagnosis."),
    )
