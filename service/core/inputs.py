"""Warnings for inputs the model can score but a clinician should double-check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules import body_mass_index, is_diabetic_hba1c, is_obese, marker_grade
from .table import Factor, Model


def input_warnings(model: Model, patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a warning for every input inconsistent with another (each scored toward the worse)."""
    warnings = _bone_warnings(model, model.by_kind["bone"], patient)
    warnings += _obesity_warnings(model, model.by_kind["obesity"], patient)
    diabetes = model.by_kind["diabetes"]
    if patient.get(diabetes.input) is False and is_diabetic_hba1c(diabetes, patient.get("hba1c")):
        warnings.append(_warning(model, "hba1c_diabetic_range_without_diabetes", "hba1c", diabetes.input))
    return warnings


def _bone_warnings(model: Model, bone: Factor, patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A marker in the osteoporosis range against `osteoporosis: false`, or a doubted diagnosis."""
    diagnosis = patient.get(bone.input)
    worst = next(iter(bone.levels))
    warnings = []
    for marker in bone.markers:
        value = patient.get(marker.input)
        if value is None or marker.input == bone.input:
            continue
        if diagnosis is False and marker.contradicts_diagnosis and marker_grade(marker, value) == worst:
            warnings.append(_warning(model, marker.contradicts_diagnosis, marker.input, bone.input))
        doubt = marker.doubts_diagnosis
        if diagnosis is True and doubt and value > doubt["above"]:
            warnings.append(_warning(model, doubt["warning"], marker.input, bone.input))
    return warnings


def _obesity_warnings(model: Model, obesity: Factor, patient: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A BMI that disagrees with the obesity flag (the BMI decides)."""
    flag = patient.get(obesity.input)
    bmi, computed = body_mass_index(patient)
    if flag is None or bmi is None or is_obese(obesity, bmi) == flag:
        return []
    fields = ("height_cm", "weight_kg") if computed else ("bmi",)
    return [_warning(model, obesity.params["contradicts_flag"], *fields, obesity.input)]


def _warning(model: Model, code: str, *fields: str) -> dict[str, Any]:
    return {"code": code, "message": model.warnings[code], "fields": list(fields)}
