"""Wire format of a patient: the strict request body of POST /v1/assessments, generated from the
model table's `inputs` (types, bounds, units, examples) and its factors (what the values mean).
No clinical number or word list is written here: each is read from the table."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.core import default_model
from service.core.table import Model
from service.core.wording import measured as _number

from .fields import StrictBoolean, StrictInteger, StrictNumber
from .named import Choice

MODEL = default_model()
SMOKING = tuple(MODEL.inputs["smoking"]["values"])
REGIONS = tuple(MODEL.inputs["region"]["values"])
SYMPTOMS = tuple(MODEL.symptoms)  # in the model's order
REQUEST_SCHEMA = "AssessmentRequest"  # the contract's name for one patient's body
SYMPTOM_CODE = "SymptomCode"  # the contract's name for the current symptom codes


class AgeRange(validate.Range):
    """The age bounds; below the lowest, the model does not apply (adults only)."""

    def __call__(self, value):
        if value is not None and value < self.min:
            raise ValidationError(f"The model applies to adults, {self.min} or older.")
        return super().__call__(value)


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
    if data.get("rods_across_osteotomy") is not None and data.get("three_column_osteotomy") is not True:
        errors["rods_across_osteotomy"] = ["Only applies when three_column_osteotomy is true."]
    return errors


def _given(field: str, json_type: str) -> dict:
    return {"properties": {field: {"type": json_type}}, "required": [field]}


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
    {
        "if": _given("rods_across_osteotomy", "string"),
        "then": {
            "properties": {"three_column_osteotomy": {"const": True}},
            "required": ["three_column_osteotomy"],
        },
    },
]


def fast_equivalent(function):
    """Mark a schema hook as computed by `function(data) -> errors`, which the fast loader runs instead."""

    def mark(hook):
        hook.fast_equivalent = function
        return hook

    return mark


class _Patient(Schema):
    """One patient's risk factors (closed: unknown fields are rejected).

    The six core fields are required; each may be null when it is not known, which widens
    `risk_range` (an unknown is never read as absent). Refinements are optional; null or absent
    means "not provided".
    """

    @validates_schema
    @fast_equivalent(cross_field_errors)
    def _refinements_agree(self, data, **kwargs):
        """Refuse refinements that cannot be read together (422 naming the field)."""
        errors = cross_field_errors(data)
        if errors:
            raise ValidationError(errors)


def _meaning(model: Model, name: str) -> str:
    """What a value means to the model, read from the factor or marker that uses the input."""
    for factor in model.factors:
        for marker in factor.markers:
            if marker.input == name and marker.bands:
                grades = [
                    f"{'≤' if 'at_most' in band else '<'} {_number(band.get('at_most', band.get('below')))} "
                    f"{factor.levels[band['grade']].label}"
                    for band in marker.bands
                ]
                return f" Grades {factor.label}: {'; '.join(grades)}."
    thresholds = {key: value for f in model.factors for key, value in f.params.get("thresholds", {}).items()}
    texts = {
        "smoking": f" Quit less than {thresholds['recent_quit_months']} months ago (`months_since_quit`) "
        "scores as a recent quitter.",
        "bmi": f" Decides obesity: {_number(thresholds['obese_from_bmi'])} or more is obese.",
        "obesity": f" Body-mass index {_number(thresholds['obese_from_bmi'])} or more; a `bmi` given decides "
        "instead.",
        "hba1c": f" {_number(thresholds['diabetic_hba1c_from'])} or more counts as diabetes (a lower value "
        f"leaves an unknown `diabetes` unknown); where diabetes adds points, "
        f"{_number(thresholds['poorly_controlled_from'])} or more adds a point.",
        "region": f" In `{thresholds['no_effect_region']}` fusions diabetes and age add no non-union points.",
        "rods_across_osteotomy": " Three or more rods take the osteotomy's points to 0.",
        "approach": " Scores nothing: it names the kind of operation for the typical published rates.",
        "sex": " Read only for the advice to measure bone density.",
        "age": f" Under {model.adult_age} is refused: the model applies to adults.",
    }
    return texts.get(name, "")


def _symptom_codes(model: Model) -> Choice:
    """The codes a patient's symptoms may use: the current ones, and the earlier version's, deprecated,
    each read as another."""
    aliases = model.aliases.values()
    deprecated = Choice(
        "DeprecatedSymptomCode",
        (alias.code for alias in aliases),
        deprecated=True,
        description="Deprecated codes of an earlier model version, each read as its current code with a "
        "`deprecated_symptom_code` warning: "
        + "; ".join(f"`{a.code}` → `{a.now}` (until {a.until})" for a in aliases)
        + ".",
    )
    return Choice(SYMPTOM_CODE, model.symptoms, also=(deprecated,))


def _described(model: Model, name: str, row: dict[str, Any]) -> dict[str, Any]:
    parts = [row["description"].rstrip(".")]
    if "min" in row:
        unit = f" {row['unit']}" if row.get("unit") else ""
        parts[0] += f" ({_number(row['min'])}–{_number(row['max'])}{unit})"
    if "values" in row:
        parts[0] += ": " + ", ".join(f"`{value}`" for value in row["values"])
    text = parts[0] + "." + _meaning(model, name)
    if row.get("core"):
        text += " Null if unknown: it widens `risk_range`."
    return {"metadata": {"description": text, "example": row["example"]}}


def _field(model: Model, name: str, row: dict[str, Any]) -> fields.Field:
    options: dict[str, Any] = {
        "allow_none": True,
        "required": bool(row.get("core")),
        **_described(model, name, row),
    }
    kind = row["type"]
    if kind == "boolean":
        return StrictBoolean(**options)
    if kind == "choice":
        named = "".join(word.capitalize() for word in name.split("_"))  # rods_across_osteotomy: RodsAcross…
        return fields.String(validate=Choice(named, row["values"]), **options)
    if kind == "symptoms":
        codes = _symptom_codes(model)
        return fields.List(
            fields.String(validate=codes),
            validate=validate.Length(max=len(codes.values) + len(model.aliases)),
            **options,
        )
    bounds = (AgeRange if name == "age" else validate.Range)(row["min"], row["max"])
    return (StrictInteger if kind == "integer" else StrictNumber)(validate=bounds, **options)


AssessmentRequestSchema = type(
    "AssessmentRequestSchema",
    (_Patient,),
    {
        "__doc__": _Patient.__doc__,
        "__module__": __name__,
        **{name: _field(MODEL, name, dict(row)) for name, row in MODEL.inputs.items()},
    },
)
