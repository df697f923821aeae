"""Wire format of an assessment: the (open) response body of POST /v1/assessments."""

from __future__ import annotations

from marshmallow import fields, validate

from .fields import OpenSchema, StrictBoolean, StrictInteger, doc
from .patient import MODEL, SYMPTOMS

TIERS = tuple(tier for tier, _ in MODEL.tiers)
URGENCIES = tuple(MODEL.urgencies)
PHASES = tuple(phase for phase, _ in MODEL.phases)
SIGNS = tuple(MODEL.document["symptom_review"]["signs"])
MEASURES = tuple(MODEL.document["method"]["measures"])
DESIGNS = tuple(MODEL.document["method"]["design_grades"])
GRADES = tuple(MODEL.document["method"]["certainty_grades"])


def _tier_meanings() -> str:
    """The tiers and what each means, as the table states them."""
    return " ".join(f"`{t['id']}`: {' '.join(t['meaning'].split())}" for t in MODEL.document["tiers"])


class ModelRefSchema(OpenSchema):
    id = fields.String(required=True, **doc("Model identifier.", "spinal-fusion-complications"))
    version = fields.String(required=True, **doc("Model version (semantic versioning).", "1.0.0"))


class EvidenceSchema(OpenSchema):
    reference = fields.String(required=True, **doc("Id of an entry in `references`.", "yang-2024"))
    effect = fields.String(
        required=True,
        **doc("The effect size behind the points, as reported.", "fusion failure OR 1.57 (1.11–2.21)"),
    )
    certainty = fields.String(
        required=True,
        validate=validate.OneOf(GRADES),
        **doc("Certainty grade (see the model's method): " + ", ".join(GRADES) + ".", "A"),
    )
    outcome_measured = fields.String(
        required=True,
        validate=validate.OneOf(MEASURES),
        **doc("What the study measured.", "fusion_failure"),
    )
    design = fields.String(
        required=True, validate=validate.OneOf(DESIGNS), **doc("The study's design.", "meta_analysis")
    )
    population = fields.String(
        required=True, **doc("In whom it was measured.", "39 cohort studies, 7,145 patients, spinal fusion")
    )
    extrapolated = StrictBoolean(
        required=True,
        **doc("True when the effect is taken from another outcome or population (certainty D).", False),
    )


_VALUE = {
    "type": ["string", "number", "boolean"],  # allow_none adds null
    "description": "The factor's input as sent (null for a derived factor's missing input).",
    "example": "current",
}


class ConsideredFactorSchema(OpenSchema):
    factor = fields.String(required=True, **doc("Factor id, as in GET /v1/model.", "osteoporosis"))
    label = fields.String(required=True, **doc("Plain-language name of the factor.", "osteoporosis"))
    value = fields.Raw(required=True, allow_none=True, metadata=_VALUE)
    basis = fields.String(
        **doc("The measurement that decided the category, when a refinement did.", "DXA T-score -2.8")
    )
    category = fields.String(
        required=True, **doc("The model's category for this value.", "no low bone density recorded")
    )
    points = StrictInteger(required=True, **doc("Points this factor adds to the outcome.", 0))
    note = fields.String(
        **doc(
            "Why this factor adds nothing here, when that needs saying.",
            "Smoking reaches this outcome only through the risk of non-union.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema), metadata={"description": "Evidence behind the note."}
    )


class ContributingFactorSchema(ConsideredFactorSchema):
    modifiable = StrictBoolean(
        required=True, **doc("True when the patient or care team can change this factor.", True)
    )
    explanation = fields.String(
        required=True,
        **doc(
            "Why this factor matters for this outcome, in plain language.",
            "Tobacco smoke narrows the small blood vessels that feed the graft.",
        ),
    )
    advice = fields.String(
        **doc(
            "What can be done about it (modifiable factors only).",
            "Stopping smoking well before surgery lowers this risk.",
        )
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema),
        required=True,
        metadata={"description": "The studies behind the points, with effect sizes and certainty."},
    )


class RiskRangeSchema(OpenSchema):
    lowest = fields.String(
        required=True, validate=validate.OneOf(TIERS), **doc("Tier with unknown factors absent.", "moderate")
    )
    highest = fields.String(
        required=True,
        validate=validate.OneOf(TIERS),
        **doc("Tier with unknown factors at their worst.", "high"),
    )


class WhatIfSchema(OpenSchema):
    id = fields.String(
        required=True,
        **doc(
            "The change's id in the model (`all_changes`: every change offered, together).", "stop_smoking"
        ),
    )
    change = fields.String(
        required=True,
        **doc(
            "A change the patient can make.", "stop smoking now and stay off it until the fusion has healed"
        ),
    )
    risk = fields.String(
        required=True, validate=validate.OneOf(TIERS), **doc("The tier after the change.", "moderate")
    )
    points = StrictInteger(required=True, **doc("The points after the change.", 5))


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
    points = StrictInteger(required=True, **doc("Total points from the known factors.", 7))
    summary = fields.String(
        required=True,
        validate=validate.Length(max=139),
        **doc(
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
        required=True, **doc("The category assumed for the highest bound.", "osteoporosis-grade bone")
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


class ReferenceSchema(OpenSchema):
    id = fields.String(required=True, **doc("Reference id cited by evidence entries.", "yang-2024"))
    citation = fields.String(
        required=True, **doc("Bibliographic citation.", "Yang S, Zhou B, Mo J, et al. PLOS ONE 2024.")
    )
    pmid = fields.String(**doc("PubMed id, where known.", "38848350"))
    pmc = fields.String(**doc("PubMed Central id, where known.", "PMC11149252"))
    doi = fields.String(**doc("DOI, where known.", "10.1371/journal.pone.0304473"))
    url = fields.String(
        **doc(
            "A public page of the source, where it has no other id.", "https://www.bibliomed.org/?mno=290014"
        )
    )


class FindingSchema(OpenSchema):
    code = fields.String(
        required=True, validate=validate.OneOf(SYMPTOMS), **doc("The symptom code sent.", "saddle_numbness")
    )
    label = fields.String(
        required=True, **doc("The symptom in plain language.", "numbness in the groin or saddle area")
    )
    urgency = fields.String(
        required=True,
        validate=validate.OneOf(URGENCIES),
        **doc("How urgent this sign is (in this phase, when `days_since_surgery` was sent).", "emergency"),
    )
    sign = fields.String(
        required=True,
        validate=validate.OneOf(SIGNS),
        **doc("The warning sign it belongs to.", "neurological_deficit"),
    )
    meaning = fields.String(
        required=True, **doc("What it may mean.", "The lowest spinal nerves may be compressed.")
    )


class SymptomReviewSchema(OpenSchema):
    urgency = fields.String(
        required=True,
        validate=validate.OneOf(URGENCIES),
        **doc(
            "The most urgent finding: `emergency` (seek emergency care now), `prompt` (contact "
            "the surgeon soon) or `routine`. Independent of the risk tiers.",
            "emergency",
        ),
    )
    advice = fields.String(
        required=True, **doc("What to do now.", "Seek emergency care now: go to an emergency department.")
    )
    findings = fields.List(
        fields.Nested(FindingSchema),
        required=True,
        metadata={"description": "The reported symptoms, most urgent first."},
    )
    phase = fields.String(
        validate=validate.OneOf(PHASES),
        **doc(
            "Time since surgery, when `days_since_surgery` was sent: " + ", ".join(PHASES) + ".", "healing"
        ),
    )
    note = fields.String(
        **doc(
            "What the phase means for the findings, when it matters.",
            "This is the time when non-union and loosening usually show themselves.",
        )
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
        metadata={"description": "Review of the reported `symptoms`; null when none were sent."},
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
