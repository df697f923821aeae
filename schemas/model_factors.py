"""Wire format of the factors in GET /v1/model: levels, effects, bone markers and their evidence."""

from __future__ import annotations

from marshmallow import fields

from service.core.checks import KINDS

from .evidence import EvidenceSchema
from .fields import OpenSchema, array, doc, mapping, text


class EffectSchema(OpenSchema):
    points = fields.Integer(required=True, **doc("Points added to this outcome."))
    anchor_or = fields.Float(
        **doc(
            "The anchor effect (odds or hazard ratio) the points were derived from: ln(OR) / 0.405, rounded."
        )
    )
    lowered_because = text("Why the points are lower than the anchor gives, where they are.")
    explanation = text("Why the factor matters for this outcome (when it adds points).")
    note = text("Why it adds nothing to this outcome, when that needs saying.")
    evidence = array(fields.Nested(EvidenceSchema), "The studies behind the points.")


class LevelSchema(OpenSchema):
    id = text("Level id.", "current", required=True)
    label = text("Plain-language category.", "current smoker", required=True)
    min = fields.Float(**doc("Lowest input value of this band (banded factors), in the input's unit."))
    pseudarthrosis = fields.Nested(EffectSchema, required=True, **doc("Effect on non-union."))
    hardware_failure = fields.Nested(EffectSchema, required=True, **doc("Effect on hardware failure."))


class MarkerSchema(OpenSchema):
    id = text("Marker id.", "t_score", required=True)
    input = text("Request field of the marker.", "t_score", required=True)
    label = text("Plain-language name.", "DXA T-score", required=True)
    when_true = text("Grade (level id) a true value indicates (yes/no markers).", "osteoporosis_grade")
    bands = array(
        mapping("A grade and its threshold: `at_most` (≤) or `below` (<), in the input's unit."),
        "Numeric thresholds, worst grade first.",
    )
    basis = text("How the marker is named when it decides the grade.", "DXA T-score {value}")
    contradicts_diagnosis = text("Warning code when it shows osteoporosis that `osteoporosis: false` denies.")
    doubts_diagnosis = mapping(
        "Threshold above which `osteoporosis: true` is questioned, with its warning code."
    )
    evidence = mapping("The marker's own evidence, per outcome id.")
    names = text(
        "How the marker names the factor when it decides it.", "low bone density (DXA T-score {value})"
    )
    outcomes = array(fields.String(), "The outcomes it grades (all, when absent).")
    unless = array(fields.String(), "Inputs whose presence drops the marker (a measured density).")


class FactorSchema(OpenSchema):
    id = text("Factor id.", "smoking", required=True)
    label = text("Plain-language name.", "smoking", required=True)
    kind = text(
        "How the inputs are classified (the rule applied): " + ", ".join(sorted(KINDS)) + ".",
        "smoking",
        required=True,
    )
    input = text("Request field holding the factor.", "smoking", required=True)
    refinements = array(fields.String(), "Optional request fields that refine it.")
    core = fields.Boolean(**doc("One of the six required inputs (null means unknown).", True))
    modifiable = fields.Boolean(required=True, **doc("The patient or care team can change it.", True))
    advice = text("What can be done (modifiable factors).")
    unknown_ = mapping(
        "Core factors: levels taken for the lowest and highest bound when the input is null.",
        {"lowest": "never", "highest": "current"},
        data_key="unknown",
    )
    unknown_label = text("Name used when the input is unknown, if not the label.")
    thresholds = mapping("Kind-specific thresholds, in the input's unit.")
    contradicts_flag = text("Warning code when a measurement contradicts the flag.")
    basis = text("How the deciding refinement is named in responses.")
    basis_computed = text("How a BMI computed from height and weight is named.")
    markers = array(fields.Nested(MarkerSchema), "Bone-quality markers; the worst one counts.")
    reads = array(fields.String(), "Earlier factors whose level this factor's rule reads.")
    basis_hba1c = text("How an HbA1c that decided diabetes is named.")
    by_region = mapping(
        "Banded factors: in a region named here, a band (level id) is replaced by the level it maps to.",
        {"cervical": {"from_65": "cervical_from_65"}},
    )
    rods = mapping(
        "The osteotomy: `input` (the rods across it), `levels` (a rod count -> the level it moves to) and "
        "`basis` (each count in words)."
    )
    levels = array(fields.Nested(LevelSchema), "Levels with their points per outcome.", required=True)
