"""Wire format of POST /v1/assessments/batch: many patients, one result or error each."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from .assessment import AssessmentSchema
from .examples import ASSESSMENT_EXAMPLES
from .fields import OpenSchema, StrictInteger
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
        fields.Raw(
            allow_none=True,
            metadata={
                "description": "A patient, exactly as the body of POST /v1/assessments "
                "(AssessmentRequest). A patient that does not validate gets an `error` in its result."
            },
        ),
        required=True,
        max_length=MAX_PATIENTS,
        metadata={
            "description": f"The patients, at most {MAX_PATIENTS}. More is refused for the whole call (422).",
            "example": [ASSESSMENT_EXAMPLES["low"]["value"], ASSESSMENT_EXAMPLES["high"]["value"]],
        },
    )


class BatchResultSchema(OpenSchema):
    index = StrictInteger(
        required=True,
        metadata={"description": "Position of the patient in `patients` (from 0).", "example": 0},
    )
    assessment = fields.Nested(
        AssessmentSchema, metadata={"description": "The assessment, when the patient validated."}
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
