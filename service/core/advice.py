"""Advice that adds no points: measure the bone where its density is unknown and likely to matter,
and, after surgery, what still helps healing without a scored effect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .rules import Scored
from .sections import Advice
from .table import Model

PRE_OPERATIVE, POST_OPERATIVE = "pre_operative", "post_operative"
NOT_GIVEN = "not_given"  # the age threshold when no sex is sent


def phase_of(patient: Mapping[str, Any]) -> str:
    """Return the phase a patient is in: after surgery when days since surgery are given."""
    return PRE_OPERATIVE if patient.get("days_since_surgery") is None else POST_OPERATIVE


class AdviceRules:
    """The advice of one model, sorted by phase once, each item's response entry built once (shared:
    read-only)."""

    def __init__(self, model: Model) -> None:
        self.bone = model.by_kind["bone"]
        self.densities = tuple(marker.input for marker in self.bone.markers if marker.bands)
        self.by_phase = {
            phase: tuple(
                (item, {"id": item.id, "advice": item.advice, "phases": list(item.phases)})
                for item in model.advice
                if phase in item.phases
            )
            for phase in (PRE_OPERATIVE, POST_OPERATIVE)
        }

    def __call__(self, patient: Mapping[str, Any], scored: Mapping[str, Scored]) -> list[dict[str, Any]]:
        """Return the advice items that apply to the patient in their phase (`scored`: the factors of
        the known scenario)."""
        return [
            entry for item, entry in self.by_phase[phase_of(patient)] if self._applies(item, patient, scored)
        ]

    def _applies(self, item: Advice, patient: Mapping[str, Any], scored: Mapping[str, Scored]) -> bool:
        if item.from_age:
            return self._density_wanted(item, patient)
        found = scored.get(item.factor or "")  # an unknown sits at its best level here: never advised on
        return found is not None and any(
            effect.level in item.levels for effect in found.level.effects.values()
        )

    def _density_wanted(self, item: Advice, patient: Mapping[str, Any]) -> bool:
        """No density measured, and either the bone status unknown at an age where it matters (an
        unknown age counts: conservative) or the named input (long-term steroids) true."""
        if any(patient.get(name) is not None for name in self.densities):
            return False
        if item.with_input and patient.get(item.with_input) is True:
            return True
        if patient.get(self.bone.input) is not None:
            return False
        age, sex = patient.get("age"), patient.get("sex")
        return age is None or age >= item.from_age[sex or NOT_GIVEN]
