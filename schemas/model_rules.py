"""Wire format of the model's rules beside the factors in GET /v1/model: advice without points, effects
weighed but not scored, and the typical published rates per kind of operation."""

from __future__ import annotations

from marshmallow import fields

from .evidence import EvidenceSchema
from .fields import OpenSchema, array, doc, mapping, text


class AdviceRuleSchema(OpenSchema):
    id = text("Advice id.", "measure_bone_density", required=True)
    advice = text("The advice, in plain language.", required=True)
    phases = array(fields.String(), "When it is offered: pre_operative, post_operative.", required=True)
    factor = text("The factor whose level it follows.", "diabetes")
    levels = array(fields.String(), "Those levels (for any outcome).")
    from_age = mapping("Bone density: the age from which to measure it, per sex (`not_given`: no sex sent).")
    with_ = text("Bone density: a yes/no input that calls for it when true.", "steroid_use", data_key="with")


class ConsideredSchema(OpenSchema):
    input = text("The request field.", "sex", required=True)
    outcome = text("The outcome it was weighed for.", "hardware_failure", required=True)
    why = text("Why it is not scored.", required=True)
    evidence = array(fields.Nested(EvidenceSchema), "The study weighed.", required=True)


class RateEstimateSchema(OpenSchema):
    reference = text("Reference id.", "fraser-2007", required=True)
    per_100 = fields.Float(required=True, **doc("The published estimate, per 100 patients."))
    what = text("What and in whom it was measured.", required=True)
    not_counted = text("Why it is not counted (its figure or its horizon was not verified).")


class RateClassRuleSchema(OpenSchema):
    id = text("Class id.", "acdf_1", required=True)
    label = text("The kind of operation in words.", required=True)
    when = mapping(
        "The inputs that put a patient in it: a list of values (null: not given) or a `min`/`max` range.",
        required=True,
    )


class RateRuleSchema(OpenSchema):
    classes = array(fields.String(), "The classes it applies to.", required=True)
    outcome = text("The outcome.", "pseudarthrosis", required=True)
    when = mapping("A further condition within the class (`bone_quality`, or an input).")
    low = fields.Integer(**doc("Lowest counted estimate, whole number (none counted: absent)."))
    high = fields.Integer(**doc("Highest counted estimate, whole number."))
    definition = text("What was counted.")
    horizon = text("When it was counted, as the counted sources report it.")
    estimates = array(fields.Nested(RateEstimateSchema), "Every estimate considered.", required=True)


class TypicalRatesSchema(OpenSchema):
    label = text("What the rates are, and are not.", required=True)
    none = text("What is said where no rate is shown.", required=True)
    per = fields.Integer(required=True, **doc("Patients the rates are counted per."))
    classes = array(fields.Nested(RateClassRuleSchema), "The kinds of operation.", required=True)
    rates = array(
        fields.Nested(RateRuleSchema), "Per class and outcome, the estimates and the range.", required=True
    )
