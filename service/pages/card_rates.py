"""Model card sections on what the tiers are set against: the typical published rates per kind of
operation (with every estimate counted or not, and why), the effects weighed but not scored, and what
is known of the model's performance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.core import Model
from service.core.typical import BONE_QUALITY, range_text

from .card_sources import flat


def typical_rates(model: Model) -> list[str]:
    doc = model.document["typical_rates"]
    names = model.outcomes
    bone = bone_words(model)
    lines = [
        "## Typical published rates",
        "",
        f"{doc['label']}. Shown beside each tier, never combined with it. A kind of operation follows "
        "from the inputs below (an input it needs that is not given: no kind, no rate). An estimate "
        "counts only where its figure and its follow-up horizon were verified against the source; the "
        "range runs from the lowest to the highest counted estimate, in whole numbers. Where none is "
        f"left: {doc['none']}.",
    ]
    for kind in doc["classes"]:
        lines += [
            "",
            f"### {kind['label']} (`{kind['id']}`)",
            "",
            f"When: {when_words(kind['when'], bone)}.",
            "",
        ]
        for rate in (r for r in doc["rates"] if kind["id"] in r["classes"]):
            lines.append(_rate(rate, names, doc["per"], bone))
    return lines


def bone_words(model: Model) -> dict[str, str]:
    """Each bone level in words, as a rate's condition on bone quality names it."""
    levels = model.by_kind["bone"].levels
    return {level: row.label for level, row in levels.items()}


def when_words(when: Mapping[str, Any], bone: Mapping[str, str]) -> str:
    """The conditions in words (`bone`: the bone levels' labels, for a condition on bone quality)."""
    parts = []
    for name, condition in when.items():
        if name == BONE_QUALITY:
            parts.append(" or ".join(bone[level] for level in condition) + " (unknowns at their worst)")
        elif isinstance(condition, Mapping):
            low, high = condition.get("min"), condition.get("max")
            span = f"{low} or more" if high is None else str(low) if low == high else f"{low}–{high}"
            parts.append(f"`{name}` {span}")
        else:
            parts.append(
                f"`{name}` " + " or ".join("not given" if v is None else f"`{_json(v)}`" for v in condition)
            )
    return "; ".join(parts)


def _json(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _rate(rate: Mapping[str, Any], names: Mapping[str, str], per: int, bone: Mapping[str, str]) -> str:
    within = f" ({when_words(rate['when'], bone)})" if rate.get("when") else ""
    counted = [e for e in rate["estimates"] if not e.get("not_counted")]
    skipped = [e for e in rate["estimates"] if e.get("not_counted")]
    if counted:
        span = range_text(rate["low"], rate["high"])
        shown = f"**{span} per {per}**, {rate['definition']}, {rate['horizon']}. "
        shown += f"Counted: {'; '.join(_estimate(e) for e in counted)}."
    else:
        shown = "no rate shown."
    if skipped:
        reasons = "; ".join(f"{_estimate(e)}: {e['not_counted']}" for e in skipped)
        shown += f" Not counted: {reasons}."
    return f"- {names[rate['outcome']].capitalize()}{within}: {shown}"


def _estimate(estimate: Mapping[str, Any]) -> str:
    return f"{estimate['reference']} {estimate['per_100']:g} ({estimate['what']})"


def considered(model: Model) -> list[str]:
    lines = ["## Considered, not scored", ""]
    for item in model.considered:
        evidence = "; ".join(f"{e.reference}: {e.effect} ({e.certainty})" for e in item.evidence)
        lines.append(f"- `{item.input}`, for {model.outcomes[item.outcome]}: {evidence}. {item.why}")
    return lines


def performance(model: Model) -> list[str]:
    validation = model.document["validation"]
    return [
        "## Performance and local validation",
        "",
        flat(validation["statement"]),
        "",
        f"{flat(validation['local'])} The command: `{validation['command']}`.",
    ]
