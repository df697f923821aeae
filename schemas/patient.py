"""Wire format of a patient: the strict request body of POST /v1/assessments."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .fields import StrictBoolean, StrictInteger, StrictNumber, doc

SMOKING = ("never", "former", "current")
REGIONS = ("cervical", "thoracic", "lumbar", "thoracolumbar")
# Symptom codes of the model's review, in its order (a test holds this to the model table).
SYMPTOMS = (
    "new_limb_weakness_or_numbness",
    "bladder_or_bowel_control_loss",
    "saddle_numbness",
    "fever_with_wound_signs",
    "severe_pain_after_fall_or_injury",
    "breathlessness",
    "painful_swollen_leg",
    "pain_worse_with_load",
    "pain_returning_after_improvement",
    "instability_or_clicking_with_pain",
    "pain_at_operated_level",
    "pain_worse_with_cough_or_strain",
    "hardware_felt_under_skin",
    "new_radiating_pain_or_tingling",
    "pain_limiting_daily_life",
    "painless_hardware_sensation_early",
)


def _given(field: str, json_type: str) -> dict:
    return {"properties": {field: {"type": json_type}}, "required": [field]}


def cross_field_errors(data: dict) -> dict[str, list[str]]:
    """Return the refinements that cannot be read together, each with its message."""
    errors = {}
    if data.get("months_since_quit") is not None and data.get("smoking") != "former":
        errors["months_since_quit"] = ["Only applies when smoking is 'former'."]
    height, weight = data.get("height_cm"), data.get("weight_kg")
    if (height is None) != (weight is None):
        missing = "weight_kg" if weight is None else "height_cm"
        errors[missing] = ["Required together with height_cm and weight_kg."]
    if data.get("bmi") is not None and (height is not None or weight is not None):
        errors["bmi"] = ["Give either bmi, or height_cm and weight_kg, not both."]
    if data.get("region") == "cervical" and data.get("fusion_to_sacrum_or_pelvis"):
        errors["fusion_to_sacrum_or_pelvis"] = ["A cervical fusion does not reach the sacrum or pelvis."]
    return errors


# The rules `cross_field_errors` enforces, stated in the contract (JSON Schema 2020-12), so a
# request the contract accepts is one the service accepts.
CROSS_FIELD_RULES = [
    {"if": _given("months_since_quit", "integer"), "then": {"properties": {"smoking": {"const": "former"}}}},
    {"if": _given("height_cm", "number"), "then": _given("weight_kg", "number")},
    {"if": _given("weight_kg", "number"), "then": _given("height_cm", "number")},
    {
        "if": _given("bmi", "number"),
        "then": {"not": {"anyOf": [_given("height_cm", "number"), _given("weight_kg", "number")]}},
    },
    {
        "not": {
            "properties": {"region": {"const": "cervical"}, "fusion_to_sacrum_or_pelvis": {"const": True}},
            "required": ["region", "fusion_to_sacrum_or_pelvis"],
        }
    },
]


class AssessmentRequestSchema(Schema):
    """One patient's risk factors (closed: unknown fields are rejected).

    The six core fields are required; each may be null when it is not known, which widens
    `risk_range` (an unknown is never read as absent). Refinements are optional; null or
    absent means "not provided".
    """

    age = StrictInteger(
        required=True,
        allow_none=True,
        validate=validate.Range(0, 120),
        **doc(
            "Age in whole years (0–120); null if unknown. Under 18 adds a warning: "
            "the evidence is from adults.",
            62,
        ),
    )
    smoking = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(SMOKING),
        **doc("Tobacco smoking status: `never`, `former` or `current`; null if unknown.", "current"),
    )
    osteoporosis = StrictBoolean(
        required=True,
        allow_none=True,
        **doc("Osteoporosis diagnosed (for example DXA T-score ≤ −2.5); null if unknown.", False),
    )
    diabetes = StrictBoolean(
        required=True, allow_none=True, **doc("Diabetes mellitus, type 1 or 2; null if unknown.", True)
    )
    levels_fused = StrictInteger(
        required=True,
        allow_none=True,
        validate=validate.Range(1, 24),
        **doc("Number of motion segments (levels) fused or to be fused (1–24); null if unknown.", 2),
    )
    obesity = StrictBoolean(
        required=True,
        allow_none=True,
        **doc(
            "Obesity: body-mass index 30 kg/m² or more; null if unknown. A `bmi` given decides instead.", True
        ),
    )
    months_since_quit = StrictInteger(
        allow_none=True,
        validate=validate.Range(0, 1200),
        **doc(
            "Months since the last cigarette (0–1200); only with smoking `former`. Under 6 keeps 1 point.", 3
        ),
    )
    bmi = StrictNumber(
        allow_none=True,
        validate=validate.Range(10, 100),
        **doc(
            "Body-mass index in kg/m² (10–100). Decides obesity: 30 or more is obese, "
            "35 or more scores higher.",
            31.5,
        ),
    )
    height_cm = StrictNumber(
        allow_none=True,
        validate=validate.Range(50, 250),
        **doc(
            "Height in centimetres (50–250), with `weight_kg`, to compute the BMI (instead of `bmi`).", 172
        ),
    )
    weight_kg = StrictNumber(
        allow_none=True,
        validate=validate.Range(20, 350),
        **doc("Weight in kilograms (20–350), with `height_cm`, to compute the BMI (instead of `bmi`).", 94),
    )
    t_score = StrictNumber(
        allow_none=True,
        validate=validate.Range(-10, 10),
        **doc(
            "Lowest DXA T-score (standard deviations, −10 to 10): ≤ −2.5 osteoporosis, ≤ −1.0 osteopenia.",
            -2.7,
        ),
    )
    hounsfield_units = StrictNumber(
        allow_none=True,
        validate=validate.Range(-1000, 3000),
        **doc(
            "CT bone density in Hounsfield units, L1 or mean L1–L4: < 110 osteoporosis-grade, "
            "110–150 osteopenia-grade.",
            105,
        ),
    )
    osteopenia = StrictBoolean(
        allow_none=True,
        **doc("Osteopenia (low bone mass) diagnosed; scores as osteopenia-grade bone.", False),
    )
    fragility_fracture = StrictBoolean(
        allow_none=True, **doc("A low-energy (fragility) fracture in the last 3 years.", False)
    )
    hba1c = StrictNumber(
        allow_none=True,
        validate=validate.Range(3, 25),
        **doc("HbA1c in percent (3–25). With diabetes, 8.0 or more adds a point.", 8.4),
    )
    steroid_use = StrictBoolean(allow_none=True, **doc("Long-term systemic corticosteroids.", False))
    vitamin_d_deficiency = StrictBoolean(allow_none=True, **doc("Documented vitamin D deficiency.", False))
    prior_spine_surgery = StrictBoolean(
        allow_none=True, **doc("A previous fusion or revision at or near these levels.", False)
    )
    fusion_to_sacrum_or_pelvis = StrictBoolean(
        allow_none=True, **doc("The lowest instrumented level is S1 or the pelvis.", False)
    )
    three_column_osteotomy = StrictBoolean(
        allow_none=True,
        **doc("A pedicle subtraction osteotomy or vertebral column resection in this construct.", False),
    )
    region = fields.String(
        allow_none=True,
        validate=validate.OneOf(REGIONS),
        **doc("Spinal region fused. In `cervical` fusions diabetes adds no non-union points.", "lumbar"),
    )
    symptoms = fields.List(
        fields.String(validate=validate.OneOf(SYMPTOMS)),
        allow_none=True,
        validate=validate.Length(max=len(SYMPTOMS)),
        metadata={
            "description": "Symptoms reported since surgery, as codes, for a symptom review "
            "(urgency and advice). It never changes the risk points.",
            "example": ["pain_worse_with_load"],
        },
    )

    @validates_schema
    def _refinements_agree(self, data, **kwargs):
        """Refuse refinements that cannot be read together (422 naming the field)."""
        errors = cross_field_errors(data)
        if errors:
            raise ValidationError(errors)
