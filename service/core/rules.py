"""Classify one factor of a patient into a level of the model table, one rule per kind.

A rule sees the patient, the bound for unknown core inputs, and the factors already scored
(`resolved`, in table order): a factor whose effect depends on another reads that one's level,
so a what-if that moves the other is followed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from .table import Factor, Level, Marker

LOWEST = "lowest"  # unknown core inputs take their lowest level (the known-only result)
HIGHEST = "highest"  # unknown core inputs take their worst level
CENTIMETRES_PER_METRE = 100  # a unit, not a clinical number


class Scored(NamedTuple):
    """One factor's place in a scenario (a NamedTuple: built per factor, per request, cheaply)."""

    factor: Factor
    level: Level
    value: Any  # the factor's own input as sent (None when unknown)
    uncertain: bool  # the level rests on an unknown core input
    basis: str | None = None  # the refinement that decided it, e.g. "quit 3 months ago"
    markers: tuple[tuple[Marker, Any, str], ...] = ()  # bone markers reaching a level: (marker, value, grade)


Resolved = Mapping[str, Scored]
Rule = Callable[[Factor, Mapping[str, Any], str, Resolved], Scored]


def _assumed(factor: Factor, patient: Mapping[str, Any], bound: str) -> tuple[bool, bool | None]:
    """Return (value, sent) of a yes/no input; unknown (None sent) is false at the lowest bound."""
    sent = patient.get(factor.input)
    return (bound == HIGHEST if sent is None else sent), sent


def _flag(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    value, sent = _assumed(factor, patient, bound)
    return Scored(factor, factor.levels["present" if value else "absent"], sent, sent is None)


def _bands(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """The highest band the value reaches; in a region the table names, that band's regional level."""
    value = patient.get(factor.input)
    level = factor.levels[factor.unknown[bound]] if value is None else _band(factor, value)
    moved = (factor.params.get("by_region") or {}).get(patient.get("region"), {}).get(level.id)
    return Scored(factor, factor.levels[moved] if moved else level, value, value is None)


def _band(factor: Factor, value: float) -> Level:
    for level in factor.descending:
        if value >= level.min:  # type: ignore[operator]  # a banded level has a min
            return level
    raise ValueError(f"{factor.id} {value} is below every band")


def _smoking(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    value = patient.get(factor.input)
    if value is None:
        return Scored(factor, factor.levels[factor.unknown[bound]], None, True)
    months, recent = patient.get("months_since_quit"), factor.params["thresholds"]["recent_quit_months"]
    if value == "former" and months is not None and months < recent:
        basis = factor.params["basis"].format(months_since_quit=months)
        return Scored(factor, factor.levels["recent_quit"], value, False, basis)
    return Scored(factor, factor.levels[value], value, False)


def _other_nicotine(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """Counts only when the patient does not smoke: smoking already carries nicotine's effect."""
    scored = _flag(factor, patient, bound, resolved)
    smoking = resolved[factor.reads[0]].level
    if scored.level.id == "present" and smoking.id == "current":
        return scored._replace(level=factor.levels["present_with_smoking"])
    return scored


def _diabetes(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """A diagnosis, or an HbA1c in the diabetic range (the worse of the two); a lower HbA1c neither
    clears a diagnosis nor settles an unknown status (a treated diabetic can sit below it)."""
    sent, hba1c = patient.get(factor.input), patient.get("hba1c")
    thresholds = factor.params["thresholds"]
    by_hba1c = is_diabetic_hba1c(factor, hba1c)
    basis = factor.params["basis_hba1c"].format(hba1c=f"{hba1c:g}") if by_hba1c and sent is not True else None
    if sent is None and not by_hba1c:
        value, uncertain = bound == HIGHEST, True
    else:
        value, uncertain = bool(sent) or by_hba1c, False
    region = patient.get("region")
    if value and region == thresholds["no_effect_region"]:
        basis = "; ".join(filter(None, [basis, factor.params["basis"].format(region=region)]))
        return Scored(factor, factor.levels["present_no_effect_region"], sent, uncertain, basis)
    return Scored(factor, factor.levels["present" if value else "absent"], sent, uncertain, basis)


def is_diabetic_hba1c(factor: Factor, hba1c: float | None) -> bool:
    """Tell whether an HbA1c is in the diabetic range (the diabetes factor's threshold)."""
    return hba1c is not None and hba1c >= factor.params["thresholds"]["diabetic_hba1c_from"]


def _hba1c(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """HbA1c counts only where diabetes adds points (as its factor decided: not in a cervical fusion)."""
    diabetes = resolved[factor.reads[0]].level
    value = patient[factor.input]
    poor = any(diabetes.points) and value >= factor.params["thresholds"]["poorly_controlled_from"]
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


def is_obese(factor: Factor, bmi: float) -> bool:
    return bool(bmi >= factor.params["thresholds"]["obese_from_bmi"])


def _obesity(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """A BMI decides, the flag counts only without one; the hardware point needs a long construct
    (read from the levels factor, so an unknown length follows its bound and widens the range there)."""
    bmi, computed = body_mass_index(patient)
    if bmi is None:
        obese, sent = _assumed(factor, patient, bound)
        uncertain, basis = sent is None, None
    else:
        obese, uncertain = is_obese(factor, bmi), False
        basis = factor.params["basis_computed" if computed else "basis"].format(bmi=f"{bmi:g}")
    if not obese:
        return Scored(factor, factor.levels["absent"], patient.get(factor.input), uncertain, basis)
    construct = resolved[factor.reads[0]]
    long = construct.level.min >= factor.params["thresholds"]["hardware_from_levels"]
    level = factor.levels["present_long_construct" if long else "present"]
    return Scored(factor, level, patient.get(factor.input), uncertain, basis)


def _osteotomy(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """A flag whose level the rods across the osteotomy may move (the table maps rod counts to levels)."""
    scored = _flag(factor, patient, bound, resolved)
    rods = factor.params["rods"]
    count = patient.get(rods["input"])
    if count is None or scored.level.id != "present":
        return scored
    level = factor.levels[rods["levels"].get(count, "present")]
    return scored._replace(level=level, basis=rods["basis"][count])


def marker_grade(marker: Marker, value: Any) -> str | None:
    """Return the grade (a level id) one bone marker's value indicates, if any."""
    if marker.when_true is not None:
        return marker.when_true if value is True else None
    for band in marker.bands:
        if ("at_most" in band and value <= band["at_most"]) or ("below" in band and value < band["below"]):
            return str(band["grade"])
    return None


def _bone(factor: Factor, patient: Mapping[str, Any], bound: str, resolved: Resolved) -> Scored:
    """For each outcome, the worst grade among the markers that grade it (levels are worst first)."""
    diagnosis, sent = _assumed(factor, patient, bound)
    reached = []
    for marker in factor.markers:
        value = diagnosis if marker.input == factor.input else patient.get(marker.input)
        measured = marker.unless and any(patient.get(n) is not None for n in marker.unless)
        if value is None or value is False or measured:
            continue
        grade = marker_grade(marker, value)
        if grade is not None:
            reached.append((marker, value, grade))
    normal = factor.unknown[LOWEST]
    if not reached:
        return Scored(factor, factor.levels[normal], sent, sent is None)
    rank = factor.rank
    per_outcome = tuple(
        min((g for m, _, g in reached if outcome in m.outcomes), key=rank.__getitem__, default=normal)
        for outcome in factor.levels[normal].effects
    )
    deciding = tuple((m, v, g) for m, v, g in reached if g in per_outcome)
    return Scored(factor, factor.mixed[per_outcome], sent, sent is None, None, deciding)


RULES: dict[str, Rule] = {
    "flag": _flag,
    "bands": _bands,
    "smoking": _smoking,
    "other_nicotine": _other_nicotine,
    "diabetes": _diabetes,
    "hba1c": _hba1c,
    "obesity": _obesity,
    "bone": _bone,
    "osteotomy": _osteotomy,
}
