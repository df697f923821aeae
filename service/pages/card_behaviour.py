"""Model card sections on what the model does beside scoring: unknowns, what-ifs, warnings and
the symptom review."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.core import Model
from service.core.publish import temperature


def unknowns(model: Model) -> list[str]:
    lines = [
        "## Unknown values",
        "",
        "A core factor sent as `null` adds no points to the known result (`points`); the ranges "
        "run from the unknown as absent (`points_range.lowest`, `risk_range.lowest`) to the unknown at "
        "its worst (`points_range.highest`, `risk_range.highest`). The link follows the non-union range. "
        "The headline `risk` is the highest tier of the range, so missing data never reads as "
        "reassurance; `determinate` says whether both ends share a tier.",
        "",
        "| factor | lowest | highest |",
        "|---|---|---|",
    ]
    for factor in model.factors:
        if factor.core:
            low, high = (factor.levels[factor.unknown[b]].label for b in ("lowest", "highest"))
            lines.append(f"| {factor.label} | {low} | {high} |")
    return lines


def what_if(model: Model) -> list[str]:
    combined = model.combined_change.format(changes="…")
    phases = model.document["what_if_phases"]
    return [
        "## What-if",
        "",
        *(
            f"- **{w.change}** ({w.factor}: {', '.join(sorted(w.from_levels))} → {w.to_level}; "
            f"{' and '.join(phases[p] for p in w.phases)})"
            for w in model.what_if
        ),
        f"- **{combined}**, when two or more apply.",
        "",
        "A change that would not alter an outcome's points is not listed for that outcome. With "
        "`days_since_surgery` only the changes offered after surgery are listed. Each states its points "
        f"change (`{model.points_change}`), its risk being the highest tier after it.",
    ]


def advice(model: Model) -> list[str]:
    lines = ["## Advice without points", ""]
    for item in model.advice:
        when = " and ".join(model.document["what_if_phases"][p] for p in item.phases)
        if item.from_age:
            ages = ", ".join(f"{sex.replace('_', ' ')} {age}" for sex, age in item.from_age.items())
            rule = f"bone density unknown and age from {ages}; or `{item.with_input}` without a density"
        else:
            rule = f"{item.factor} at {', '.join(sorted(item.levels))}"
        lines.append(f"- `{item.id}`: **{item.advice}** ({rule}; {when}).")
    return lines


def warnings(model: Model) -> list[str]:
    return [
        "## Warning codes",
        "",
        "| code | message |",
        "|---|---|",
        *(f"| `{code}` | {message} |" for code, message in model.warnings.items()),
    ]


def symptoms(model: Model) -> list[str]:
    review = model.document["symptom_review"]
    phases = "; ".join(f"**{p['id']}** ({p['label']})" for p in review["phases"])
    order = " · ".join(phase for phase, _ in model.phases)
    return [
        "## Symptom review",
        "",
        "Separate from the risk score: it never changes points. Phases of `days_since_surgery`: "
        f"{phases}. Without `days_since_surgery` each finding takes its most urgent phase level. "
        "A symptom of a neurological deficit is always an emergency (checked at load). `symptoms: []` "
        "is a review with status `none_reported` (asked, none reported); no `symptoms`, no review. "
        f"Fever thresholds: {temperature(review['fever_c'])} and {temperature(review['high_fever_c'])}.",
        "",
        *urgencies(model),
        *(
            f"- In the {' or '.join(n['phases'])} phase, with {' or '.join(n['signs'])} findings: {n['note']}"
            for n in model.phase_notes
        ),
        *(
            f"- **{c['id']}** ({_combined(c)}): at least {c['at_least']}. {c['note']}"
            for c in review["combinations"]
        ),
        "",
        f"| code | sign | urgency ({order}) | symptom | for the patient | meaning |",
        "|---|---|---|---|---|---|",
        *(
            f"| `{s.code}` | {s.sign} | {' · '.join(s.by_phase.values())} | {s.label} | {s.patient_label} "
            f"| {s.meaning} |"
            for s in model.symptoms.values()
        ),
        "",
        "Deprecated codes, accepted with a `deprecated_symptom_code` warning and read as the current code:",
        "",
        *(f"- `{a.code}` → `{a.now}` (until {a.until})" for a in model.aliases.values()),
    ]


def _combined(combination: Mapping[str, Any]) -> str:
    """A combination's parts in words: `sign` findings, or one of the codes."""
    return (
        " with ".join(
            f"{part['sign']} findings"
            if "sign" in part
            else "one of " + ", ".join(f"`{c}`" for c in part["codes"])
            for part in combination["all_of"]
        )
        + f", in the {', '.join(combination['phases'])} phase"
    )


def urgencies(model: Model) -> list[str]:
    """Each urgency, most urgent first, with its advice."""
    return [f"- **{urgency}**: {advice}" for urgency, advice in model.urgencies.items()]
