"""Wire format of GET /v1/model: the model table as published."""

from __future__ import annotations

from marshmallow import fields

from .evidence import EvidenceSchema, ReferenceSchema
from .fields import OpenSchema, array, doc, mapping, text
from .model_factors import FactorSchema
from .model_rules import AdviceRuleSchema, ConsideredSchema, TypicalRatesSchema
from .patient import MODEL
from .symptom_catalogue import SymptomCatalogueSchema

RELEASED = MODEL.document["released"]


class TierSchema(OpenSchema):
    id = text("Tier.", "moderate", required=True)
    min_points = fields.Integer(required=True, **doc("Lowest total reaching the tier."))
    meaning = text("What the tier means, in relative odds (not a probability).", required=True)


class OutcomeInfoSchema(OpenSchema):
    id = text("Outcome id.", "pseudarthrosis", required=True)
    name = text("Short plain-language name.", "non-union", required=True)
    description = text("What the outcome means.", required=True)
    horizon = text(
        "When the outcome is counted, as its evidence measured it.", "at 12 months or later", required=True
    )


class LinkageSchema(OpenSchema):
    id = text("Factor id of the link in responses.", "non_union_link", required=True)
    label = text("Plain-language name.", "high risk of non-union", required=True)
    from_ = text("Outcome whose tier triggers the link.", "pseudarthrosis", data_key="from", required=True)
    to = text("Outcome receiving the point.", "hardware_failure", required=True)
    when_tier = text("Tier of the source outcome that triggers it.", "high", required=True)
    points = fields.Integer(required=True, **doc("Points added."))
    modifiable = fields.Boolean(**doc("Never: it follows the non-union tier.", False))
    explanation = text("Why the link exists.", required=True)
    via_factors = array(fields.String(), "Factors that reach hardware failure only through the link.")
    via_note = text("Sentence added when those factors are present.")
    evidence = array(fields.Nested(EvidenceSchema), "The studies behind it.", required=True)


class WhatIfRuleSchema(OpenSchema):
    id = text("What-if id.", "stop_smoking", required=True)
    change = text("The change, in plain language.", "stop smoking", required=True)
    factor = text("Factor it changes.", "smoking", required=True)
    from_levels = array(fields.String(), "Levels at which it is offered.", required=True)
    to_level = text("Level the factor moves to.", "former", required=True)
    phases = array(fields.String(), "When it is offered: pre_operative, post_operative.", required=True)


class ChangeSchema(OpenSchema):
    change = text("What changed.", required=True)
    reviewed_by = text("Who reviewed the change.", required=True)


class HistorySchema(OpenSchema):
    version = text("Model version.", MODEL.version, required=True)
    date = text("Release date (ISO 8601).", RELEASED, required=True)
    changes = array(fields.Nested(ChangeSchema), "What changed, and who reviewed it.", required=True)


class MethodSchema(OpenSchema):
    summary = text("How points were derived.", required=True)
    odds_ratio_per_point = fields.Float(required=True, **doc("Odds ratio one point stands for."))
    log_odds_per_point = fields.Float(required=True, **doc("Log-odds of one point."))
    certainty_grades = mapping("Meaning of the certainty grades A–D.", required=True)
    design_grades = mapping("The grades each study design allows.", required=True)
    outcome_sources = mapping("Where a study's outcome came from, in words.", required=True)
    source_grades = mapping("The grades each outcome source allows (coded: C at best).", required=True)
    designs = mapping("Each design in words.", required=True)
    outcome_measures = mapping(
        "What each outcome's evidence may have measured (else: extrapolated, D).", required=True
    )
    measures = mapping("Each measure in words.", required=True)


class InputSchema(OpenSchema):
    type = text("boolean, integer, number, choice or symptoms.", "number", required=True)
    core = fields.Boolean(**doc("One of the six required inputs (null means unknown).", False))
    min = fields.Float(**doc("Lowest value accepted."))
    max = fields.Float(**doc("Highest value accepted."))
    unit = text("Unit.", "kg/m²")
    values = array(fields.String(), "Accepted values (choices).")
    example = fields.Raw(**doc("An example value."))
    description = text("What the input is.", required=True)


class ModelReferenceSchema(ReferenceSchema):
    authors = text("Authors.", "Yang S, Zhou B, Mo J, et al.", required=True)
    title = text("Title.", required=True)
    journal = text("Journal, or meeting.", "PLoS One", required=True)
    year = fields.Integer(required=True, **doc("Year."))
    detail = text("Volume, issue and pages, or a remark.", "19(6):e0304473")
    design = text("Study design.", "meta_analysis", required=True)
    outcome_source = text(
        "Where its outcome came from: imaging, reoperation, coded or mixed.", "mixed", required=True
    )
    population = text("In whom it was measured.", required=True)
    measured = array(fields.String(), "What the model takes from it (outcome measures).", required=True)
    unverified = array(fields.String(), "What could not be checked against the source.")


class ModelDocumentSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "The whole risk model as data: every factor, threshold, point, text and reference."

    id = text("Model identifier.", "spinal-fusion-complications", required=True)
    version = text("Model version.", MODEL.version, required=True)
    title = text("Model title.", required=True)
    released = text("Release date (ISO 8601).", RELEASED, required=True)
    reviewed = text("Date of the last clinical review (ISO 8601).", MODEL.document["reviewed"], required=True)
    history = array(fields.Nested(HistorySchema), "Version history.", required=True)
    intended_use = text("What the model is for.", required=True)
    intended_users = array(fields.String(), "Who it is for.", required=True)
    not_intended_for = array(fields.String(), "Uses it must not be put to.", required=True)
    when_not_to_use = array(
        fields.String(), "Patients and operations it must not be used for.", required=True
    )
    validation = mapping(
        "What is known of its performance (`statement`), and how a hospital can check it on its own data "
        "(`local`, with the `command`).",
        required=True,
    )
    method = fields.Nested(MethodSchema, required=True, **doc("How the points were derived."))
    limitations = array(fields.String(), "Known limitations.", required=True)
    disclaimer = text("The disclaimer every assessment carries.", required=True)
    tiers = array(fields.Nested(TierSchema), "Tiers, identical for both outcomes.", required=True)
    tier_note = text("What the tiers are not.", required=True)
    inputs = fields.Dict(
        keys=fields.String(), values=fields.Nested(InputSchema), required=True, **doc("The request fields.")
    )
    outcomes = array(fields.Nested(OutcomeInfoSchema), "The outcomes scored.", required=True)
    adult_age = fields.Integer(
        required=True, **doc("Age in years below which the model gives no tiers (adults only).")
    )
    factors = array(fields.Nested(FactorSchema), "Factors in display order.", required=True)
    linkage = fields.Nested(LinkageSchema, required=True, **doc("The non-union link to hardware failure."))
    what_if_phases = mapping("The phases a change may be offered in, in words.", required=True)
    what_if = array(fields.Nested(WhatIfRuleSchema), "Changes a patient can make.", required=True)
    what_if_combined = mapping("The item applying every change offered.", required=True)
    what_if_points_change = text("How a what-if states its change in points.", required=True)
    advice = array(fields.Nested(AdviceRuleSchema), "Advice that adds no points.", required=True)
    considered_not_scored = array(
        fields.Nested(ConsideredSchema), "Effects weighed and deliberately not scored.", required=True
    )
    typical_rates = fields.Nested(
        TypicalRatesSchema,
        required=True,
        **doc("Typical published rates per kind of operation: never the patient's probability."),
    )
    warnings = mapping("Warning codes and their messages.", required=True)
    summary = mapping("How summaries are worded (templates and length limit).")
    symptom_review = fields.Nested(
        SymptomCatalogueSchema, **doc("The symptom review: urgencies and every symptom code.")
    )
    references = array(fields.Nested(ModelReferenceSchema), "Every reference the model cites.", required=True)
