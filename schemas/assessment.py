"""Wire format of an assessment: the (open) response body of POST /v1/assessments."""

from __future__ import annotations

from marshmallow import fields, validate

from service.core.publish import text

from .contributions import (
    TIERS,
    ConsideredFactorSchema,
    ContributingFactorSchema,
    RiskRangeSchema,
    WhatIfSchema,
)
from .evidence import ReferenceSchema
from .fields import OpenSchema, StrictInteger, doc
from .patient import MODEL
from .symptom_review import SymptomReviewSchema

SUMMARY_LENGTH = MODEL.summary["max_length"] - 1  # a summary is shorter than the table's limit


def _tier_meanings() -> str:
    """The tiers and what each means, as the table states them."""
    return " ".join(f"`{t['id']}`: {text(t['meaning'])}" for t in MODEL.document["tiers"])


class ModelRefSchema(OpenSchema):
    id = fields.String(required=True, **doc("Model identifier.", "spinal-fusion-complications"))
    version = fields.String(required=True, **doc("Model version (semantic versioning).", MODEL.version))


class OutcomeSchema(OpenSchema):
    risk = fields.String(
        required=True,
        validate=validate.OneOf(TIERS),
        **doc("Tier from the known factors. " + _tier_meanings(), "high"),
    )
    risk_range = fields.Nested(
        RiskRangeSchema,
        required=True,
        metadata={"description": "Tier range; equal bounds when nothing is unknown."},
    )
    points = StrictInteger(required=True, metadata={"description": "Total points from the known factors."})
    summary = fields.String(
        required=True,
        validate=validate.Length(max=SUMMARY_LENGTH),
        **doc(
            f"One line under {MODEL.summary['max_length']} characters naming the main drivers.",
            "High risk of non-union, driven mainly by smoking and diabetes.",
        ),
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


class UnknownFactorSchema(OpenSchema):
    factor = fields.String(required=True, **doc("Id of a core factor sent as null.", "osteoporosis"))
    label = fields.String(required=True, **doc("Plain-language name of the factor.", "osteoporosis"))
    worst_case = fields.String(
        required=True,
        **doc("The category assumed for the highest bound.", "bone quality in the osteoporosis range"),
    )


class WarningSchema(OpenSchema):
    code = fields.String(
        required=True,
        validate=validate.OneOf(tuple(MODEL.warnings)),
        **doc("Stable warning code (see GET /v1/model).", "bmi_contradicts_obesity"),
    )
    message = fields.String(
        required=True,
        **doc("What to double-check, in plain language.", "The BMI and the obesity flag disagree."),
    )
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        required=True,
        **doc("The request fields concerned.", ["age"]),
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
