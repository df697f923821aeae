"""Wire format of GET /v1/model (the model table as published) and of the health checks."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields

from .assessment import EvidenceSchema, ReferenceSchema


def _text(description: str, example=None, **kwargs) -> fields.String:
    metadata = {"description": description}
    if example is not None:
        metadata["example"] = example
    return fields.String(metadata=metadata, **kwargs)


def _list(inner, description: str, **kwargs) -> fields.List:
    return fields.List(inner, metadata={"description": description}, **kwargs)


class _Open(Schema):
    class Meta:
        unknown = EXCLUDE


class EffectSchema(_Open):
    points = fields.Integer(
        required=True, metadata={"description": "Points added to this outcome.", "example": 2}
    )
    explanation = _text("Why the factor matters for this outcome (when it adds points).")
    note = _text("Why it adds nothing to this outcome, when that needs saying.")
    evidence = _list(fields.Nested(EvidenceSchema), "The studies behind the points.")


class LevelSchema(_Open):
    id = _text("Level id.", "current", required=True)
    label = _text("Plain-language category.", "current smoker", required=True)
    min = fields.Float(
        metadata={"description": "Lowest input value of this band (banded factors).", "example": 55}
    )
    pseudarthrosis = fields.Nested(
        EffectSchema, required=True, metadata={"description": "Effect on non-union."}
    )
    hardware_failure = fields.Nested(
        EffectSchema, required=True, metadata={"description": "Effect on hardware failure."}
    )


class MarkerSchema(_Open):
    id = _text("Marker id.", "diagnosis", required=True)
    input = _text("Request field of the marker.", "osteoporosis", required=True)
    label = _text("Plain-language name.", "osteoporosis diagnosis", required=True)
    grade = _text("Level the marker indicates.", "osteoporosis_grade")
    evidence = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(EvidenceSchema)),
        metadata={"description": "Evidence per outcome id."},
    )


class FactorSchema(_Open):
    id = _text("Factor id.", "smoking", required=True)
    label = _text("Plain-language name.", "smoking", required=True)
    kind = _text(
        "How the input is classified: choice, flag, bands or bone (worst marker).", "choice", required=True
    )
    input = _text("Request field holding the factor.", "smoking", required=True)
    modifiable = fields.Boolean(
        required=True, metadata={"description": "The patient or care team can change it."}
    )
    advice = _text("What can be done (modifiable factors).")
    unknown = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={
            "description": "Levels assumed for the lowest and highest bound when the input is null.",
            "example": {"lowest": "never", "highest": "current"},
        },
    )
    markers = _list(fields.Nested(MarkerSchema), "Bone-quality markers; the worst one counts.")
    levels = _list(fields.Nested(LevelSchema), "Levels with their points per outcome.", required=True)


class TierSchema(_Open):
    id = _text("Tier.", "moderate", required=True)
    min_points = fields.Integer(
        required=True, metadata={"description": "Lowest total reaching the tier.", "example": 2}
    )


class OutcomeInfoSchema(_Open):
    id = _text("Outcome id.", "pseudarthrosis", required=True)
    name = _text("Short plain-language name.", "non-union", required=True)
    description = _text("What the outcome means.", required=True)


class LinkageSchema(_Open):
    id = _text("Factor id of the link in responses.", "non_union_link", required=True)
    label = _text("Plain-language name.", "high risk of non-union", required=True)
    from_ = _text("Outcome whose tier triggers the link.", "pseudarthrosis", data_key="from", required=True)
    to = _text("Outcome receiving the point.", "hardware_failure", required=True)
    when_tier = _text("Tier of the source outcome that triggers it.", "high", required=True)
    points = fields.Integer(required=True, metadata={"description": "Points added.", "example": 1})
    explanation = _text("Why the link exists.", required=True)
    evidence = _list(fields.Nested(EvidenceSchema), "The studies behind it.", required=True)


class WhatIfRuleSchema(_Open):
    id = _text("What-if id.", "stop_smoking", required=True)
    change = _text("The change, in plain language.", "stop smoking", required=True)
    factor = _text("Factor it changes.", "smoking", required=True)
    from_levels = _list(fields.String(), "Levels at which it is offered.", required=True)
    to_level = _text("Level the factor moves to.", "former", required=True)


class HistorySchema(_Open):
    version = _text("Model version.", "1.0.0", required=True)
    date = _text("Release date (ISO 8601).", "2026-11-21", required=True)
    changes = _text("What changed.", required=True)


class MethodSchema(_Open):
    summary = _text("How points were derived.", required=True)
    odds_ratio_per_point = fields.Float(
        required=True, metadata={"description": "Odds ratio one point stands for.", "example": 1.5}
    )
    log_odds_per_point = fields.Float(
        required=True, metadata={"description": "Log-odds of one point.", "example": 0.405}
    )
    certainty_grades = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Meaning of grades A–D."},
    )


class ModelDocumentSchema(_Open):
    class Meta(_Open.Meta):
        description = "The whole risk model as data: every factor, threshold, point, text and reference."

    id = _text("Model identifier.", "spinal-fusion-complications", required=True)
    version = _text("Model version.", "1.0.0", required=True)
    title = _text("Model title.", required=True)
    released = _text("Release date (ISO 8601).", "2026-11-21", required=True)
    history = _list(fields.Nested(HistorySchema), "Version history.", required=True)
    intended_use = _text("What the model is for.", required=True)
    intended_users = _list(fields.String(), "Who it is for.", required=True)
    not_intended_for = _list(fields.String(), "Uses it must not be put to.", required=True)
    method = fields.Nested(
        MethodSchema, required=True, metadata={"description": "How the points were derived."}
    )
    limitations = _list(fields.String(), "Known limitations.", required=True)
    disclaimer = _text("The disclaimer every assessment carries.", required=True)
    tiers = _list(fields.Nested(TierSchema), "Tiers, identical for both outcomes.", required=True)
    outcomes = _list(fields.Nested(OutcomeInfoSchema), "The outcomes scored.", required=True)
    adult_age = fields.Integer(
        required=True,
        metadata={"description": "Age in years below which the evidence does not apply.", "example": 18},
    )
    factors = _list(fields.Nested(FactorSchema), "Factors in display order.", required=True)
    linkage = fields.Nested(
        LinkageSchema, required=True, metadata={"description": "The non-union link to hardware failure."}
    )
    what_if = _list(fields.Nested(WhatIfRuleSchema), "Changes a patient can make.", required=True)
    warnings = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        required=True,
        metadata={"description": "Warning codes and their messages."},
    )
    references = _list(fields.Nested(ReferenceSchema), "Every reference the model cites.", required=True)


class HealthSchema(_Open):
    status = _text("`ok` while the process serves requests.", "ok", required=True)


class ReadinessSchema(_Open):
    status = _text("`ready` once the model is loaded.", "ready", required=True)
    model = fields.Dict(
        required=True,
        metadata={
            "description": "The loaded model.",
            "example": {"id": "spinal-fusion-complications", "version": "1.0.0"},
        },
    )
