"""Consistency and safety rules for the model table, checked once when it is loaded: a table that
breaks one refuses to load, so the service cannot start with it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .evidence_checks import anchor_problems, evidence_problems, reference_problems
from .factor_checks import KINDS, factor_problems
from .publish import tier_ranges
from .rate_checks import rate_problems
from .symptom_checks import symptom_problems

if TYPE_CHECKING:
    from .table import Model

__all__ = ["KINDS", "ModelError", "check_model"]
POINTS = re.compile(r"\d\s*points?\b")  # "2–4 points", "5 points or more", "1 point"


class ModelError(ValueError):
    """The model table is inconsistent; the service must not start with it."""


def check_model(model: Model) -> None:
    """Raise ModelError listing every inconsistency in the model table."""
    problems = [
        *_tier_problems(model),
        *_outcome_problems(model),
        *factor_problems(model),
        *evidence_problems(model),
        *anchor_problems(model),
        *reference_problems(model),
        *rate_problems(model),
        *_linkage_problems(model),
        *_what_if_problems(model),
        *_advice_problems(model),
        *symptom_problems(model),
        *_input_problems(model),
    ]
    if problems:
        raise ModelError("; ".join(problems))


def _tier_problems(model: Model) -> Iterable[str]:
    lows = [lowest for _, lowest in model.tiers]
    if not lows or lows[0] != 0 or lows != sorted(set(lows)):
        yield "tiers must start at 0 points and ascend strictly"
    ranges = tier_ranges(model.tiers)
    for tier in model.document["tiers"]:
        prose = tier.get("meaning", "").removeprefix(f"{ranges.get(tier['id'])}: ")
        if not prose:
            yield "every tier must say what it means"
        elif POINTS.search(prose):
            yield f"tier {tier['id']}: its meaning states points; they are said from min_points"


def _outcome_problems(model: Model) -> Iterable[str]:
    """Every outcome states the horizon its tiers speak of; the model says when not to use it and what
    is known of its performance."""
    for row in model.document["outcomes"]:
        if not row.get("horizon"):
            yield f"outcome {row['id']}: it must state its horizon"
    validation = model.document.get("validation") or {}
    if not model.document.get("when_not_to_use") or not all(
        validation.get(k) for k in ("statement", "command")
    ):
        yield "the model must say when not to use it, and what is known of its performance"


def _linkage_problems(model: Model) -> list[str]:
    link, problems = model.linkage, []
    if {link.source, link.target} - set(model.outcomes) or link.source == link.target:
        problems.append("linkage must join two different outcomes")
    if link.when_tier not in {tier for tier, _ in model.tiers}:
        problems.append(f"linkage tier {link.when_tier!r} is not a tier")
    return problems


def _what_if_problems(model: Model) -> Iterable[str]:
    factors = {f.id: f for f in model.factors}
    phases = set(model.document["what_if_phases"])
    for what_if in model.what_if:
        factor = factors.get(what_if.factor)
        if factor is None or not factor.modifiable:
            yield f"what-if {what_if.id}: its factor must exist and be modifiable"
        elif not (what_if.from_levels | {what_if.to_level}) <= set(factor.levels):
            yield f"what-if {what_if.id}: levels must belong to its factor"
        if not _phases_valid(what_if.phases, phases):
            yield f"what-if {what_if.id}: phases must be one or more of {sorted(phases)}, each once"
    if "{changes}" not in model.combined_change:
        yield "the combined what-if must name its {changes}"
    if not all(f"{{{name}}}" in model.points_change for name in ("risk", "before", "after")):
        yield "what_if_points_change must name {risk}, {before} and {after}"


def _phases_valid(given: tuple[str, ...], phases: set[str]) -> bool:
    return bool(given) and len(set(given)) == len(given) and set(given) <= phases


def _advice_problems(model: Model) -> Iterable[str]:
    """Advice names its phases, and either a factor's levels or the ages (by sex) it applies from."""
    factors = {f.id: f for f in model.factors}
    phases = set(model.document["what_if_phases"])
    sexes = {*model.inputs.get("sex", {}).get("values", ()), "not_given"}
    for item in model.advice:
        if not item.advice or not _phases_valid(item.phases, phases):
            yield f"advice {item.id}: it needs a text and valid phases"
        factor = factors.get(item.factor or "")
        if item.from_age:
            bounds = model.inputs["age"]
            if set(item.from_age) != sexes or not all(
                isinstance(a, int) and bounds["min"] <= a <= bounds["max"] for a in item.from_age.values()
            ):
                yield f"advice {item.id}: from_age needs an adult age for each of {sorted(sexes)}"
            if item.with_input and model.inputs.get(item.with_input, {}).get("type") != "boolean":
                yield f"advice {item.id}: `with` must name a yes/no input"
        elif factor is None or not item.levels or not item.levels <= set(factor.levels):
            yield f"advice {item.id}: it needs a factor and levels of it, or from_age"


def _input_problems(model: Model) -> Iterable[str]:
    """Every input a factor or marker reads is declared, with bounds the model agrees with."""
    read = {f.input for f in model.factors} | {m.input for f in model.factors for m in f.markers}
    read |= {name for f in model.factors for m in f.markers for name in m.unless}
    read |= {name for f in model.factors for name in f.params.get("refinements", ())}
    read |= {item.input for item in model.considered}
    if not read <= set(model.inputs):
        yield f"inputs not declared: {sorted(read - set(model.inputs))}"
    if model.inputs["age"].get("min") != model.adult_age:
        yield "the age input must start at the adult age"
    smoking = model.by_kind["smoking"]
    if not set(model.inputs[smoking.input]["values"]) <= set(smoking.levels):
        yield "every smoking value must be a level of the smoking factor"
    diabetes = model.by_kind["diabetes"]
    if diabetes.params["thresholds"]["no_effect_region"] not in model.inputs["region"]["values"]:
        yield "the diabetes no-effect region must be a region"
