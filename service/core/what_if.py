"""What-if: each change a patient can make in their phase, scored with unknowns at their best and at
their worst, and all of them together when two or more apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .advice import phase_of
from .scoring import HIGHEST, LOWEST, Score, link, rescore
from .table import Level, Model
from .typical import range_text
from .wording import join


class WhatIf(NamedTuple):
    id: str
    change: str
    phases: tuple[str, ...]
    points: Mapping[str, int]  # known points after the change, per outcome
    worst: Mapping[str, int]  # points after it with unknowns at their worst
    tiers: Mapping[str, str]  # the highest tier after it


class WhatIfs:
    """The what-if items of one model, with each change's target level looked up once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._targets = {w.id: model.factor(w.factor).levels[w.to_level] for w in model.what_if}
        self._combined_id = model.document["what_if_combined"]["id"]

    def __call__(self, patient: Mapping[str, Any], known: Score, worst: Score) -> list[WhatIf]:
        """Score each change offered in the patient's phase in both scenarios (`worst` is `known`
        itself when nothing is unknown)."""
        model, phase = self.model, phase_of(patient)
        offered = [
            w
            for w in model.what_if
            if phase in w.phases
            and w.factor in known.scored
            and known.scored[w.factor].level.id in w.from_levels
        ]
        items = [(w.id, w.change, w.phases, {w.factor: self._targets[w.id]}) for w in offered]
        if len(items) > 1:
            change = model.combined_change.format(changes=join([w.change for w in offered]))
            phases = tuple(p for p in offered[0].phases if all(p in w.phases for w in offered))
            items.append(
                (self._combined_id, change, phases, {w.factor: self._targets[w.id] for w in offered})
            )
        results = []
        for what_if, change, phases, moves in items:
            points, tiers = self._after(patient, known, moves, LOWEST)
            most = points
            if worst is not known:
                most, tiers = self._after(patient, worst, moves, HIGHEST)
            results.append(WhatIf(what_if, change, phases, points, most, tiers))
        return results

    def _after(
        self, patient: Mapping[str, Any], scenario: Score, moves: Mapping[str, Level], bound: str
    ) -> tuple[Mapping[str, int], Mapping[str, str]]:
        """Return (points, tiers) of a scenario with some factors moved: when no factor reading a
        moved one was scored, only the moved factors' own points change."""
        model = self.model
        if any(reader.id in scenario.scored for f in moves for reader in model.dependents[f]):
            after = rescore(model, patient, scenario, moves, bound)
            return after.points, after.tiers
        base = dict(scenario.base)
        for factor_id, target in moves.items():
            # one points entry per outcome (load.py builds levels so): no `strict` on this hot path
            for outcome, new, old in zip(base, target.points, scenario.scored[factor_id].level.points):  # noqa: B905
                base[outcome] += new - old
        points, tiers, _ = link(model, base)
        return points, tiers

    def items(self, what_ifs: list[WhatIf], outcome: str, points: int, most: int) -> list[dict[str, Any]]:
        """Return an outcome's what-if items: a change that alters neither end of its points range
        is left out. Each states its points change: the tier after it, the points before and after."""
        before, template = range_text(points, most), self.model.points_change
        return [
            {
                "id": w.id,
                "change": w.change,
                "phases": list(w.phases),
                "risk": w.tiers[outcome],
                "points": w.points[outcome],
                "points_change": template.format(
                    risk=w.tiers[outcome],
                    before=before,
                    after=range_text(w.points[outcome], w.worst[outcome]),
                ),
            }
            for w in what_ifs
            if (w.points[outcome], w.worst[outcome]) != (points, most)
        ]
