"""Read a FHIR R4 Bundle into model inputs, remembering which resource gave each value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core import Model
from .conditions import read_conditions
from .elements import day, obj, objs, string
from .history import read_history
from .medications import read_steroids
from .observations import read_observations, read_quit_date
from .procedures import read_fusion
from .reader import Reader
from .terminology import Terminology

PAIRED = ("bmi", "height_cm", "weight_kg")  # a BMI, else height with weight (never all three)
PAGED = {
    "severity": "warning",
    "code": "incomplete",
    "diagnostics": "The Bundle is one page of a search: the pages after it were not read, so their "
    "resources are unknown. Send the whole record (all pages) in one Bundle.",
    "expression": ["Bundle.link"],
}


@dataclass
class Extraction:
    """Model inputs read from a bundle: unknown core inputs are None, refinements absent."""

    patient: dict[str, Any]
    subject: dict[str, str]  # Reference to the Patient
    sources: dict[str, list[int]] = field(default_factory=dict)  # input -> entry indexes
    basis: list[dict[str, str]] = field(default_factory=list)  # References of the resources used
    issues: list[dict[str, Any]] = field(default_factory=list)  # what was ignored, and why


def extract(
    bundle: Mapping[str, Any], terms: Terminology, model: Model, on: date, levels_fused: int | None = None
) -> Extraction:
    """Read the bundle's single Patient and the resources about them, as of `on`, into `model`'s inputs."""
    reader = Reader(bundle, terms)
    if any(obj(link).get("relation") == "next" for link in objs(bundle.get("link"))):
        reader.issues.append(PAGED)
    values: dict[str, Any] = {"age": _age(reader, on), **_sex(reader)}
    values.update(read_observations(reader))
    values.update(read_quit_date(reader, on))
    values.update(read_conditions(reader, on))
    values.update(read_steroids(reader, on))
    values.update(read_fusion(reader, levels_fused, on))
    values.update(read_history(reader, on))
    inputs = _model_inputs(values, model)
    references = [reader.reference(index) for index in reader.used]
    return Extraction(
        patient=inputs,
        subject={"reference": reader.reference(reader.patient_index) or ""},  # "": refused (422)
        sources={name: indexes for name, indexes in reader.sources.items() if name in inputs},
        basis=[{"reference": ref} for ref in references if ref],
        issues=reader.issues,
    )


def _age(reader: Reader, on: date) -> int | None:
    born = day(reader.patient.get("birthDate"))  # YYYY or YYYY-MM: the earliest day, the older age
    if born is None:
        reader.ignore(
            reader.patient_index, "the Patient has no usable birthDate: age is unknown", "information"
        )
        return None
    reader.use("age", reader.patient_index)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _sex(reader: Reader) -> dict[str, str]:
    """Read Patient.gender as the model's sex; another gender (other, unknown) is not provided."""
    gender = string(reader.patient.get("gender"))
    sex = reader.terms.gender.get(gender) if gender else None
    if sex is None:
        if gender:
            why = f"Patient.gender `{gender[:20]}` is not a sex the model reads: sex is not provided"
            reader.ignore(reader.patient_index, why, "information")
        return {}
    reader.use("sex", reader.patient_index)
    return {"sex": sex}


def _model_inputs(values: Mapping[str, Any], model: Model) -> dict[str, Any]:
    """Shape the values read into a request body for the model (unknown core inputs: None)."""
    core = tuple(factor.input for factor in model.factors if factor.core)
    inputs = {name: values.get(name) for name in core}
    if "bmi" in values:
        inputs["bmi"] = values["bmi"]
    elif "height_cm" in values and "weight_kg" in values:
        inputs["height_cm"], inputs["weight_kg"] = values["height_cm"], values["weight_kg"]
    for name, value in values.items():
        if name in model.inputs and name not in (*core, *PAIRED):
            inputs[name] = value
    return inputs
