"""Wire format of POST /v1/assessments/batch: many patients, one result or error each."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from .assessment import AssessmentSchema, ModelRefSchema
from .contributions import TIERS, PointsRangeSchema, RiskRangeSchema, TypicalRateSchema
from .examples import ASSESSMENT_EXAMPLES
from .fields import OpenSchema, StrictBoolean, StrictInteger
from .named import Choice, Deferred
from .patient import MODEL, REQUEST_SCHEMA
from .problem import ProblemSchema

MAX_PATIENTS = 1000


class BoundedList(fields.List):
    """A list whose length is checked before any of its items is deserialised (a body of two
    million items is refused at once, not after two million loads)."""

    def __init__(self, inner, *, max_length: int, **kwargs) -> None:
        super().__init__(inner, validate=validate.Length(max=max_length), **kwargs)
        self.max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is list and len(value) > self.max_length:
            raise ValidationError(validate.Length.message_max.format(max=self.max_length))
        return super()._deserialize(value, attr, data, **kwargs)


class BatchRequestSchema(Schema):
    """Up to 1,000 patients. Only the envelope is checked here: each patient is validated on
    its own, and a bad one gets its own error without sinking the others."""

    patients = BoundedList(
        Deferred(REQUEST_SCHEMA, allow_none=True),
        required=True,
        max_length=MAX_PATIENTS,
        metadata={
            "description": f"The patients, at most {MAX_PATIENTS} (more is refused for the whole call, 422), "
            "each exactly as the body of POST /v1/assessments (AssessmentRequest). Each is checked on its "
            "own: one that does not validate gets an `error` in its result, and the others their "
            "assessments.",
            "example": [ASSESSMENT_EXAMPLES["low"]["value"], ASSESSMENT_EXAMPLES["high"]["value"]],
        },
    )


VIEWS = ("full", "summary")


class BatchQuerySchema(Schema):
    view = fields.String(
        validate=Choice("BatchView", VIEWS),
        load_default="full",
        metadata={
            "description": "`full` (default): each patient's whole assessment. `summary`: per patient only "
            "the tiers, points, ranges, the typical published rate, contributing factor ids with their "
            "points, warning codes and the symptom urgency (a small fraction of the size)."
        },
    )


class FactorPointsSchema(OpenSchema):
    factor = fields.String(required=True, metadata={"description": "Factor id.", "example": "smoking"})
    points = StrictInteger(required=True, metadata={"description": "Points it adds to the outcome."})


class OutcomeSummarySchema(OpenSchema):
    risk = fields.String(
        required=True,
        validate=Choice("RiskTier", TIERS),
        metadata={"description": "Tier: the highest of `risk_range` (as in the full view)."},
    )
    risk_range = fields.Nested(RiskRangeSchema, required=True, metadata={"description": "Tier range."})
    points = StrictInteger(required=True, metadata={"description": "Points from the known factors."})
    points_range = fields.Nested(PointsRangeSchema, required=True, metadata={"description": "Points range."})
    determinate = StrictBoolean(
        required=True, metadata={"description": "Both ends of the range in one tier."}
    )
    typical_rate = fields.Nested(
        TypicalRateSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Typical published rate for this kind of operation, or null (as in the full view)."
        },
    )
    contributing_factors = fields.List(
        fields.Nested(FactorPointsSchema), required=True, metadata={"description": "Most points first."}
    )


class AssessmentSummarySchema(OpenSchema):
    model = fields.Nested(
        ModelRefSchema, required=True, metadata={"description": "The model that scored this."}
    )
    outcomes = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(MODEL.outcomes))),
        values=fields.Nested(OutcomeSummarySchema),
        required=True,
        metadata={"description": "Per outcome (`pseudarthrosis`, `hardware_failure`)."},
    )
    warnings = fields.List(fields.String(), required=True, metadata={"description": "Warning codes."})
    urgency = fields.String(
        required=True,
        allow_none=True,
        validate=Choice("UrgencyLevel", MODEL.urgencies),
        metadata={"description": "The symptom review's urgency; null when symptoms were not asked."},
    )


def summary_of(assessment: dict) -> dict:
    """The summary view of an assessment (what `view=summary` returns per patient)."""
    review = assessment["symptom_review"]
    return {
        "model": assessment["model"],
        "outcomes": {
            outcome: {
                "risk": block["risk"],
                "risk_range": block["risk_range"],
                "points": block["points"],
                "points_range": block["points_range"],
                "determinate": block["determinate"],
                "typical_rate": block["typical_rate"],
                "contributing_factors": [
                    {"factor": e["factor"], "points": e["points"]} for e in block["contributing_factors"]
                ],
            }
            for outcome, block in assessment["outcomes"].items()
        },
        "warnings": [w["code"] for w in assessment["warnings"]],
        "urgency": review["urgency"] if review else None,
    }


class BatchResultSchema(OpenSchema):
    index = StrictInteger(
        required=True,
        metadata={"description": "Position of the patient in `patients` (from 0).", "example": 0},
    )
    assessment = fields.Nested(
        AssessmentSchema, metadata={"description": "The assessment, when the patient validated (view=full)."}
    )
    summary = fields.Nested(
        AssessmentSummarySchema,
        metadata={"description": "The assessment's summary, when the patient validated (view=summary)."},
    )
    error = fields.Nested(
        ProblemSchema,
        metadata={"description": "The problem (status 422, with `errors` per field), when it did not."},
    )


class BatchResponseSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "One result per patient, in input order; each holds an assessment or an error."

    results = fields.List(
        fields.Nested(BatchResultSchema),
        required=True,
        metadata={"description": "Every index present, in input order."},
    )
