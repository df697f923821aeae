"""Wire format of POST /v1/assessments: the strict request and the (open) response."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from .fields import StrictBoolean, StrictInteger

TIERS = ("low", "moderate", "high")
SMOKING = ("never", "former", "current")


def _doc(description: str, example) -> dict:
    return {"metadata": {"description": description, "example": example}}


class AssessmentRequestSchema(Schema):
    """One patient's risk factors (closed: unknown fields are rejected)."""

    age = StrictInteger(
        required=True,
        validate=validate.Range(0, 120),
        **_doc("Age in whole years (0–120). Under 18 adds a warning: the evidence is from adults.", 62),
    )
    smoking = fields.String(
        required=True,
        validate=validate.OneOf(SMOKING),
        **_doc("Tobacco smoking status: `never`, `former` or `current`.", "current"),
    )
    osteoporosis = StrictBoolean(
        required=True, **_doc("Osteoporosis diagnosed (for example DXA T-score ≤ −2.5).", False)
    )
    diabetes = StrictBoolean(required=True, **_doc("Diabetes mellitus, type 1 or 2.", True))
    levels_fused = StrictInteger(
        required=True,
        validate=validate.Range(1, 24),
        **_doc("Number of motion segments (levels) to be fused or already fused (1–24).", 2),
    )
    obesity = StrictBoolean(required=True, **_doc("Obesity: body-mass index 30 kg/m² or more.", True))


class _Open(Schema):
    """Response schemas stay open: a field added later never breaks an older client."""

    class Meta:
        unknown = EXCLUDE


class ModelRefSchema(_Open):
    id = fields.String(required=True, **_doc("Model identifier.", "spinal-fusion-complications"))
    version = fields.String(required=True, **_doc("Model version (semantic versioning).", "1.0.0"))


class EvidenceSchema(_Open):
    reference = fields.String(required=True, **_doc("Id of an entry in `references`.", "yang-2024"))
    effect = fields.String(
        required=True,
        **_doc("The effect size behind the points, as reported.", "fusion failure OR 1.57 (1.11–2.21)"),
    )
    certainty = fields.String(
        required=True,
        validate=validate.OneOf("ABCD"),
        **_doc("Certainty grade A–D (see the model's method).", "A"),
    )


_VALUE = {
    "type": ["string", "number", "boolean"],  # allow_none adds null
    "description": "The factor's input as sent (null for a derived factor's missing input).",
    "example": "current",
}


class ConsideredFactorSchema(_Open):
    factor = fields.String(required=True, **_doc("Factor id, as in GET /v1/model.", "osteoporosis"))
    label = fields.String(required=True, **_doc("Plain-language name of the factor.", "osteoporosis"))
    value = fields.Raw(required=True, allow_none=True, metadata=_VALUE)
    category = fields.String(
        required=True, **_doc("The model's category for this value.", "no low bone density recorded")
    )
    points = StrictInteger(required=True, **_doc("Points this factor adds to the outcome.", 0))
    note = fields.String(
        **_doc(
            "Why this factor adds nothing here, when that needs saying.",
            "Smoking reaches this outcome only through the risk of non-union.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema), metadata={"description": "Evidence behind the note."}
    )


class ContributingFactorSchema(ConsideredFactorSchema):
    modifiable = StrictBoolean(
        required=True, **_doc("True when the patient or care team can change this factor.", True)
    )
    explanation = fields.String(
        required=True,
        **_doc(
            "Why this factor matters for this outcome, in plain language.",
            "Tobacco smoke narrows the small blood vessels that feed the graft.",
        ),
    )
    advice = fields.String(
        **_doc(
            "What can be done about it (modifiable factors only).",
            "Stopping smoking well before surgery lowers this risk.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema),
        required=True,
        metadata={"description": "The studies behind the points, with effect sizes and certainty."},
    )


class RiskRangeSchema(_Open):
    lowest = fields.String(
        required=True, validate=validate.OneOf(TIERS), **_doc("Tier with unknown factors absent.", "moderate")
    )
    highest = fields.String(
        required=True,
        validate=validate.OneOf(TIERS),
        **_doc("Tier with unknown factors at their worst.", "high"),
    )


class WhatIfSchema(_Open):
    change = fields.String(required=True, **_doc("A change the patient can make.", "stop smoking"))
    risk = fields.String(
        required=True, validate=validate.OneOf(TIERS), **_doc("The tier after the change.", "moderate")
    )
    points = StrictInteger(required=True, **_doc("The points after the change.", 5))


class OutcomeSchema(_Open):
    risk = fields.String(
        required=True,
        validate=validate.OneOf(TIERS),
        **_doc("Tier from the known factors: low (0–1 points), moderate (2–4), high (5 or more).", "high"),
    )
    risk_range = fields.Nested(
        RiskRangeSchema,
        required=True,
        metadata={"description": "Tier range; equal bounds when nothing is unknown."},
    )
    points = StrictInteger(required=True, **_doc("Total points from the known factors.", 7))
    summary = fields.String(
        required=True,
        validate=validate.Length(max=139),
        **_doc(
            "One line under 140 characters naming the main drivers.",
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
        metadata={"description": "The result after each change the patient could make (smoking, weight)."},
    )


class OutcomesSchema(_Open):
    pseudarthrosis = fields.Nested(
        OutcomeSchema, required=True, metadata={"description": "Non-union: the fusion does not heal solid."}
    )
    hardware_failure = fields.Nested(
        OutcomeSchema,
        required=True,
        metadata={"description": "Screws loosen or pull out, rods break, cages sink."},
    )


class UnknownFactorSchema(_Open):
    factor = fields.String(required=True, **_doc("Id of a core factor sent as null.", "osteoporosis"))
    label = fields.String(required=True, **_doc("Plain-language name of the factor.", "osteoporosis"))
    worst_case = fields.String(
        required=True, **_doc("The category assumed for the highest bound.", "osteoporosis-grade bone")
    )


class WarningSchema(_Open):
    code = fields.String(required=True, **_doc("Stable warning code (see the README).", "age_under_18"))
    message = fields.String(
        required=True,
        **_doc(
            "What to double-check, in plain language.",
            "The patient is under 18: the evidence comes from adults.",
        ),
    )
    fields_ = fields.List(
        fields.String(),
        data_key="fields",
        required=True,
        **_doc("The request fields concerned.", ["age"]),
    )


class ReferenceSchema(_Open):
    id = fields.String(required=True, **_doc("Reference id cited by evidence entries.", "yang-2024"))
    citation = fields.String(
        required=True, **_doc("Bibliographic citation.", "Yang S, Zhou B, Mo J, et al. PLOS ONE 2024.")
    )
    pmid = fields.String(**_doc("PubMed id, where known.", "38848350"))
    pmc = fields.String(**_doc("PubMed Central id, where known.", "PMC11149252"))


class AssessmentSchema(_Open):
    class Meta(_Open.Meta):
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
    symptom_review = fields.Raw(
        required=True,
        allow_none=True,
        metadata={
            "type": "object",  # allow_none adds null
            "description": "Review of reported symptoms; null when none were sent.",
        },
    )
    references = fields.List(
        fields.Nested(ReferenceSchema),
        required=True,
        metadata={"description": "Exactly the references cited in this response."},
    )
    disclaimer = fields.String(
        required=True,
        **_doc("What this result is and is not.", "Decision support, not a diagnosis."),
    )
