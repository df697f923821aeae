"""Classify one factor of a patient into a level of the model table, one rule per kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from .model import Factor, Level, Marker

LOWEST = "lowest"  # unknown core inputs take their lowest level (the known-only result)
HIGHEST = "highest"  # unknown core inputs take their worst level
CENTIMETRES_PER_METRE = 100  # a unit, not a clinical number


class Scored(NamedTuple):
    """One factor's place in a scenario (a NamedTuple: built per factor, per request, cheaply)."""

    factor: Factor
    level: Level
    value: Any  # the factor's own input as sent (None when unknown)
    uncertain: bool  # the level rests on an unknown core input
    basis: str | None = None  # the refinement that decided it, e.g. "DXA T-score -2.8"
    markers: tuple[Marker, ...] = ()  # bone markers reaching the level


def _assumed(factor: Factor, patient: Mapping[str, Any], bound: str) -> tuple[bool, bool | None]:
    """Return (value, sent) of a yes/no input; unknown (None sent) is false at the lowest bound."""
    sent = patient.get(factor.input)
    return (bound == HIGHEST if sent is None else sent), sent


def _flag(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    value, sent = _assumed(factor, patient, bound)
    return Scored(factor, factor.levels["present" if value else "absent"], sent, sent is None)


def _bands(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    value = patient.get(factor.input)
    if value is None:
        return Scored(factor, factor.levels[factor.unknown[bound]], None, True)
    for level in factor.descending:
        if value >= level.min:
            return Scored(factor, level, value, False)
    raise ValueError(f"{factor.id} {value} is below every band")


def _smoking(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    value = patient.get(factor.input)
    if value is None:
        return Scored(factor, factor.levels[factor.unknown[bound]], None, True)
    months = patient.get("months_since_quit")
    if (
        value == "former"
        and months is not None
        and months < factor.params["thresholds"]["recent_quit_months"]
    ):
        basis = factor.params["basis"].format(months_since_quit=months)
        return Scored(factor, factor.levels["recent_quit"], value, False, basis)
    return Scored(factor, factor.levels[value], value, False)


def _diabetes(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    value, sent = _assumed(factor, patient, bound)
    region = patient.get("region")
    if value and region == factor.params["thresholds"]["no_effect_region"]:
        basis = factor.params["basis"].format(region=region)
        return Scored(factor, factor.levels["present_no_effect_region"], sent, sent is None, basis)
    return Scored(factor, factor.levels["present" if value else "absent"], sent, sent is None)


def _hba1c(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    """HbA1c counts only with diabetes; an unknown diabetes status follows the bound."""
    diabetes = patient.get("diabetes")
    with_diabetes = bound == HIGHEST if diabetes is None else diabetes
    value = patient[factor.input]
    poor = with_diabetes and value >= factor.params["thresholds"]["poorly_controlled_from"]
    return Scored(factor, factor.levels["poorly_controlled" if poor else "not_scored"], value, False)


def body_mass_index(patient: Mapping[str, Any]) -> tuple[float | None, bool]:
    """Return (BMI, computed): the BMI given, else one from height and weight (1 decimal)."""
    if patient.get("bmi") is not None:
        return patient["bmi"], False
    height, weight = patient.get("height_cm"), patient.get("weight_kg")
    if height is None or weight is None:
        return None, False
    metres = height / CENTIMETRES_PER_METRE
    return round(weight / (metres * metres), 1), True


def bmi_level(factor: Factor, bmi: float) -> str:
    """Return the obesity level id a BMI reaches (the table's bands, worst first)."""
    return next((band["level"] for band in factor.params["bands"] if bmi >= band["at_least"]), "absent")


def _obesity(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    """A BMI decides; the obesity flag counts only when there is none."""
    bmi, computed = body_mass_index(patient)
    if bmi is None:
        return _flag(factor, patient, bound)
    basis = factor.params["basis_computed" if computed else "basis"].format(bmi=f"{bmi:g}")
    return Scored(factor, factor.levels[bmi_level(factor, bmi)], patient.get(factor.input), False, basis)


def marker_grade(marker: Marker, value: Any) -> str | None:
    """Return the grade (a level id) one bone marker's value indicates, if any."""
    if marker.when_true is not None:
        return marker.when_true if value is True else None
    for band in marker.bands:
        if ("at_most" in band and value <= band["at_most"]) or ("below" in band and value < band["below"]):
            return band["grade"]
    return None


def _bone(factor: Factor, patient: Mapping[str, Any], bound: str) -> Scored:
    """Take the worst grade among the bone markers (levels are listed worst first)."""
    diagnosis, sent = _assumed(factor, patient, bound)
    uncertain = sent is None
    if all(patient.get(name) is None for name in factor.refinements):  # the diagnosis alone decides
        marker = factor.markers[0]
        if diagnosis is True:
            return Scored(factor, factor.levels[marker.when_true], sent, uncertain, None, (marker,))
        return Scored(factor, factor.levels[factor.unknown[LOWEST]], sent, uncertain)
    reached: dict[str, list[Marker]] = {}
    for marker in factor.markers:
        value = diagnosis if marker.input == factor.input else patient.get(marker.input)
        grade = None if value is None else marker_grade(marker, value)
        if grade is not None:
            reached.setdefault(grade, []).append(marker)
    level = next(
        (lv for lv in factor.levels.values() if lv.id in reached), factor.levels[factor.unknown[LOWEST]]
    )
    markers = tuple(reached.get(level.id, ()))
    named = [m.basis.format(value=f"{patient[m.input]:g}" if m.bands else "") for m in markers if m.basis]
    return Scored(factor, level, sent, uncertain, "; ".join(named) or None, markers)


RULES: dict[str, Callable[[Factor, Mapping[str, Any], str], Scored]] = {
    "flag": _flag,
    "bands": _bands,
    "smoking": _smoking,
    "diabetes": _diabetes,
    "hba1c": _hba1c,
    "obesity": _obesity,
    "bone": _bone,
}
