"""Advice that adds no points: measure the bone where its density is unknown and likely to matter,
and, after surgery, what still helps healing without a scored effect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules import Scored
from .table import Advice, Factor, Model

PRE_OPERATIVE, POST_OPERATIVE = "pre_operative", "post_operative"
NOT_GIVEN = "not_given"  # the age threshold when no sex is sent


def phase_of(patient: Mapping[str, Any]) -> str:
    """Return the phase a patient is in: after surgery when days since surgery are given."""
    return PRE_OPERATIVE if patient.get("days_since_surgery") is None else POST_OPERATIVE


def advice(model: Model, patient: Mapping[str, Any], scored: Mapping[str, Scored]) -> list[dict[str, Any]]:
    """Return the advice items that apply to the patient in their phase (`scored`: the factors of
    the known scenario)."""
    phase = phase_of(patient)
    return [
        {"id": item.id, "advice": item.advice, "phases": list(item.phases)}
        for item in model.advice
        if phase in item.phases and _applies(item, model.by_kind["bone"], patient, scored)
    ]


def _applies(item: Advice, bone: Factor, patient: Mapping[str, Any], scored: Mapping[str, Scored]) -> bool:
    if item.from_age:
        return _density_wanted(item, bone, patient)
    found = scored.get(item.factor or "")  # an unknown sits at its best level here: never advised on
    return found is not None and any(effect.level in item.levels for effect in found.level.effects.values())


def _density_wanted(item: Advice, bone: Factor, patient: Mapping[str, Any]) -> bool:
    """No density measured, and either the bone status unknown at an age where it matters (an unknown
    age counts: conservative) or the named input (long-term steroids) true."""
    if any(patient.get(marker.input) is not None for marker in bone.markers if marker.bands):
        return False
    if item.with_input and patient.get(item.with_input) is True:
        return True
    if patient.get(bone.input) is not None:
        return False
    age, sex = patient.get("age"), patient.get("sex")
    return age is None or age >= item.from_age[sex or NOT_GIVEN]
