"""Wire format of what an assessment notes beside the outcomes: the unknown factors, the advice that
adds no points, and the warnings about inputs to double-check."""

from __future__ import annotations

from marshmallow import fields

from .fields import OpenSchema, doc
from .named import Choice
from .patient import MODEL


class UnknownFactorSchema(OpenSchema):
    factor = fields.String(required=True, **doc("Id of a core factor sent as null.", "osteoporosis"))
    label = fields.String(required=True, **doc("Plain-language name of the factor.", "osteoporosis"))
    worst_case = fields.String(
        required=True,
        **doc("The category assumed for the highest bound.", "bone quality in the osteoporosis range"),
    )


class AdviceSchema(OpenSchema):
    id = fields.String(
        required=True,
        validate=Choice("AdviceId", (item["id"] for item in MODEL.document["advice"])),
        **doc("Stable advice id (see GET /v1/model).", "measure_bone_density"),
    )
    advice = fields.String(
        required=True,
        **doc("What to do, in plain language.", "measure bone density (DXA or CT Hounsfield units)"),
    )
    phases = fields.List(
        fields.String(),
        required=True,
        **doc("When it applies: `pre_operative`, `post_operative`.", ["pre_operative", "post_operative"]),
    )


class WarningSchema(OpenSchema):
    code = fields.String(
        required=True,
        validate=Choice("WarningCode", MODEL.warnings),
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
