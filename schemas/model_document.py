"""Wire format of GET /v1/model (the model table as published) and of the health checks."""

from __future__ import annotations

from marshmallow import fields

from .evidence import EvidenceSchema, ReferenceSchema
from .fields import OpenSchema
from .patient import MODEL

RELEASED = MODEL.document["released"]


def _meta(description: str, example=None) -> dict:
    metadata = {"description": description}
    if example is not None:
        metadata["example"] = example
    return {"metadata": metadata}


def _text(description: str, example=None, **kwargs) -> fields.String:
    return fields.String(**_meta(description, example), **kwargs)


def _list(inner, description: str, **kwargs) -> fields.List:
    return fields.List(inner, **_meta(description), **kwargs)


def _map(description: str, example=None, **kwargs) -> fields.Dict:
    return fields.Dict(keys=fields.String(), **_meta(description, example), **kwargs)


class EvidenceRowSchema(EvidenceSchema):
    """An evidence row as the table holds it."""


class EffectSchema(OpenSchema):
    points = fields.Integer(required=True, **_meta("Points added to this outcome."))
    explanation = _text("Why the factor matters for this outcome (when it adds points).")
    note = _text("Why it adds nothing to this outcome, when that needs saying.")
    evidence = _list(fields.Nested(EvidenceSchema), "The studies behind the points.")


class LevelSchema(OpenSchema):
    id = _text("Level id.", "current", required=True)
    label = _text("Plain-language category.", "current smoker", required=True)
    min = fields.Float(**_meta("Lowest input value of this band (banded factors), in the input's unit."))
    pseudarthrosis = fields.Nested(EffectSchema, required=True, **_meta("Effect on non-union."))
    hardware_failure = fields.Nested(EffectSchema, required=True, **_meta("Effect on hardware failure."))


class MarkerSchema(OpenSchema):
    id = _text("Marker id.", "t_score", required=True)
    input = _text("Request field of the marker.", "t_score", required=True)
    label = _text("Plain-language name.", "DXA T-score", required=True)
    when_true = _text("Grade (level id) a true value indicates (yes/no markers).", "osteoporosis_grade")
    bands = _list(
        _map("A grade and its threshold: `at_most` (≤) or `below` (<), in the input's unit."),
        "Numeric thresholds, worst grade first.",
    )
    basis = _text("How the marker is named when it decides the grade.", "DXA T-score {value}")
    contradicts_diagnosis = _text(
        "Warning code when it shows osteoporosis that `osteoporosis: false` denies."
    )
    doubts_diagnosis = _map(
        "Threshold above which `osteoporosis: true` is questioned, with its warning code."
    )
    evidence = _map("The marker's own evidence, per outcome id.")
    names = _text(
        "How the marker names the factor when it decides it.", "low bone density (DXA T-score {value})"
    )
    outcomes = _list(fields.String(), "The outcomes it grades (all, when absent).")
    unless = _list(fields.String(), "Inputs whose presence drops the marker (a measured density).")


class FactorSchema(OpenSchema):
    id = _text("Factor id.", "smoking", required=True)
    label = _text("Plain-language name.", "smoking", required=True)
    kind = _text(
        "How the inputs are classified: smoking, bone (worst marker), diabetes, bands, obesity (BMI), "
        "hba1c or flag.",
        "smoking",
        required=True,
    )
    input = _text("Request field holding the factor.", "smoking", required=True)
    refinements = _list(fields.String(), "Optional request fields that refine it.")
    core = fields.Boolean(**_meta("One of the six required inputs (null means unknown).", True))
    modifiable = fields.Boolean(required=True, **_meta("The patient or care team can change it.", True))
    advice = _text("What can be done (modifiable factors).")
    unknown = _map(
        "Core factors: levels taken for the lowest and highest bound when the input is null.",
        {"lowest": "never", "highest": "current"},
    )
    unknown_label = _text("Name used when the input is unknown, if not the label.")
    thresholds = _map("Kind-specific thresholds, in the input's unit.")
    bands = _list(_map("A level and the lowest BMI reaching it (kg/m²)."), "BMI bands, worst first.")
    contradicts_flag = _text("Warning code when a measurement contradicts the flag.")
    basis = _text("How the deciding refinement is named in responses.")
    basis_computed = _text("How a BMI computed from height and weight is named.")
    markers = _list(fields.Nested(MarkerSchema), "Bone-quality markers; the worst one counts.")
    reads = _list(fields.String(), "Earlier factors whose level this factor's rule reads.")
    basis_hba1c = _text("How an HbA1c that decided diabetes is named.")
    levels = _list(fields.Nested(LevelSchema), "Levels with their points per outcome.", required=True)


class TierSchema(OpenSchema):
    id = _text("Tier.", "moderate", required=True)
    min_points = fields.Integer(required=True, **_meta("Lowest total reaching the tier."))
    meaning = _text("What the tier means, in relative odds (not a probability).", required=True)


class OutcomeInfoSchema(OpenSchema):
    id = _text("Outcome id.", "pseudarthrosis", required=True)
    name = _text("Short plain-language name.", "non-union", required=True)
    description = _text("What the outcome means.", required=True)


class LinkageSchema(OpenSchema):
    id = _text("Factor id of the link in responses.", "non_union_link", required=True)
    label = _text("Plain-language name.", "high risk of non-union", required=True)
    from_ = _text("Outcome whose tier triggers the link.", "pseudarthrosis", data_key="from", required=True)
    to = _text("Outcome receiving the point.", "hardware_failure", required=True)
    when_tier = _text("Tier of the source outcome that triggers it.", "high", required=True)
    points = fields.Integer(required=True, **_meta("Points added."))
    modifiable = fields.Boolean(**_meta("Never: it follows the non-union tier.", False))
    explanation = _text("Why the link exists.", required=True)
    via_factors = _list(fields.String(), "Factors that reach hardware failure only through the link.")
    via_note = _text("Sentence added when those factors are present.")
    evidence = _list(fields.Nested(EvidenceSchema), "The studies behind it.", required=True)


class WhatIfRuleSchema(OpenSchema):
    id = _text("What-if id.", "stop_smoking", required=True)
    change = _text("The change, in plain language.", "stop smoking", required=True)
    factor = _text("Factor it changes.", "smoking", required=True)
    from_levels = _list(fields.String(), "Levels at which it is offered.", required=True)
    to_level = _text("Level the factor moves to.", "former", required=True)


class ChangeSchema(OpenSchema):
    change = _text("What changed.", required=True)
    reviewed_by = _text("Who reviewed the change.", required=True)


class HistorySchema(OpenSchema):
    version = _text("Model version.", MODEL.version, required=True)
    date = _text("Release date (ISO 8601).", RELEASED, required=True)
    changes = _list(fields.Nested(ChangeSchema), "What changed, and who reviewed it.", required=True)


class MethodSchema(OpenSchema):
    summary = _text("How points were derived.", required=True)
    odds_ratio_per_point = fields.Float(required=True, **_meta("Odds ratio one point stands for."))
    log_odds_per_point = fields.Float(required=True, **_meta("Log-odds of one point."))
    certainty_grades = _map("Meaning of the certainty grades A–D.", required=True)
    design_grades = _map("The grades each study design allows.", required=True)
    designs = _map("Each design in words.", required=True)
    outcome_measures = _map(
        "What each outcome's evidence may have measured (else: extrapolated, D).", required=True
    )
    measures = _map("Each measure in words.", required=True)


class UrgencySchema(OpenSchema):
    id = _text("Urgency.", "emergency", required=True)
    advice = _text("What to do at this urgency.", required=True)


class SymptomSchema(OpenSchema):
    code = _text("Symptom code accepted in `symptoms`.", "saddle_numbness", required=True)
    urgency = _text("Urgency of the sign.", "emergency", required=True)
    urgency_by_phase = _map("Urgency in a phase where it differs.", {"healing": "prompt"})
    sign = _text("The warning sign it belongs to.", "neurological_deficit", required=True)
    label = _text("The symptom in plain language.", required=True)
    meaning = _text("What it may mean.", required=True)


class PhaseSchema(OpenSchema):
    id = _text("Phase.", "early", required=True)
    below = fields.Integer(**_meta("Days since surgery the phase ends before (the last has none)."))
    label = _text("The phase in words.", "the first 6 weeks", required=True)


class PhaseNoteSchema(OpenSchema):
    sign = _text("The sign the note is about.", "mechanical", required=True)
    phases = _list(fields.String(), "The phases it applies in.", required=True)
    note = _text("What the phase means for that sign.", required=True)


class SymptomCatalogueSchema(OpenSchema):
    urgencies = _list(fields.Nested(UrgencySchema), "Urgencies, most urgent first.", required=True)
    phases = _list(fields.Nested(PhaseSchema), "Phases of time since surgery.", required=True)
    signs = _map("Warning signs, each in words.", required=True)
    emergency_signs = _list(fields.String(), "Signs whose symptoms are always an emergency.", required=True)
    phase_notes = _list(fields.Nested(PhaseNoteSchema), "Sentences added in some phases.")
    symptoms = _list(fields.Nested(SymptomSchema), "Every symptom code and its urgency.", required=True)


class InputSchema(OpenSchema):
    type = _text("boolean, integer, number, choice or symptoms.", "number", required=True)
    core = fields.Boolean(**_meta("One of the six required inputs (null means unknown).", False))
    min = fields.Float(**_meta("Lowest value accepted."))
    max = fields.Float(**_meta("Highest value accepted."))
    unit = _text("Unit.", "kg/m²")
    values = _list(fields.String(), "Accepted values (choices).")
    example = fields.Raw(**_meta("An example value."))
    description = _text("What the input is.", required=True)


class ModelReferenceSchema(ReferenceSchema):
    authors = _text("Authors.", "Yang S, Zhou B, Mo J, et al.", required=True)
    title = _text("Title.", required=True)
    journal = _text("Journal, or meeting.", "PLoS One", required=True)
    year = fields.Integer(required=True, **_meta("Year."))
    detail = _text("Volume, issue and pages, or a remark.", "19(6):e0304473")
    design = _text("Study design.", "meta_analysis", required=True)
    population = _text("In whom it was measured.", required=True)
    measured = _list(fields.String(), "What the model takes from it (outcome measures).", required=True)
    unverified = _list(fields.String(), "What could not be checked against the source.")


class ModelDocumentSchema(OpenSchema):
    class Meta(OpenSchema.Meta):
        description = "The whole risk model as data: every factor, threshold, point, text and reference."

    id = _text("Model identifier.", "spinal-fusion-complications", required=True)
    version = _text("Model version.", MODEL.version, required=True)
    title = _text("Model title.", required=True)
    released = _text("Release date (ISO 8601).", RELEASED, required=True)
    reviewed = _text(
        "Date of the last clinical review (ISO 8601).", MODEL.document["reviewed"], required=True
    )
    history = _list(fields.Nested(HistorySchema), "Version history.", required=True)
    intended_use = _text("What the model is for.", required=True)
    intended_users = _list(fields.String(), "Who it is for.", required=True)
    not_intended_for = _list(fields.String(), "Uses it must not be put to.", required=True)
    method = fields.Nested(MethodSchema, required=True, **_meta("How the points were derived."))
    limitations = _list(fields.String(), "Known limitations.", required=True)
    disclaimer = _text("The disclaimer every assessment carries.", required=True)
    tiers = _list(fields.Nested(TierSchema), "Tiers, identical for both outcomes.", required=True)
    tier_note = _text("What the tiers are not.", required=True)
    inputs = fields.Dict(
        keys=fields.String(), values=fields.Nested(InputSchema), required=True, **_meta("The request fields.")
    )
    outcomes = _list(fields.Nested(OutcomeInfoSchema), "The outcomes scored.", required=True)
    adult_age = fields.Integer(
        required=True, **_meta("Age in years below which the model gives no tiers (adults only).")
    )
    factors = _list(fields.Nested(FactorSchema), "Factors in display order.", required=True)
    linkage = fields.Nested(LinkageSchema, required=True, **_meta("The non-union link to hardware failure."))
    what_if = _list(fields.Nested(WhatIfRuleSchema), "Changes a patient can make.", required=True)
    what_if_combined = _map("The item applying every change offered.", required=True)
    warnings = _map("Warning codes and their messages.", required=True)
    summary = _map("How summaries are worded (templates and length limit).")
    symptom_review = fields.Nested(
        SymptomCatalogueSchema, **_meta("The symptom review: urgencies and every symptom code.")
    )
    references = _list(fields.Nested(ModelReferenceSchema), "Every reference the model cites.", required=True)


class HealthSchema(OpenSchema):
    status = _text("`ok` while the process serves requests.", "ok", required=True)


class ReadinessSchema(OpenSchema):
    status = _text("`ready` once the model is loaded.", "ready", required=True)
    model = _map("The loaded model.", {"id": MODEL.id, "version": MODEL.version}, required=True)
