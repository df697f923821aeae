"""Render the model card (docs/model-card.md) from the model table: `make model-card`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .model import Evidence, Factor, Model

HEADER = "<!-- Generated from service/core/model_v1.yaml by `make model-card`; do not edit. -->"


def render_card(model: Model) -> str:
    """Return the model card as Markdown."""
    doc = model.document
    sections = [
        [
            HEADER,
            "",
            f"# Model card: {doc['title']}",
            "",
            f"Model `{model.id}`, version **{model.version}**, released {doc['released']}.",
            "",
            f"> {model.disclaimer}",
        ],
        _intended(doc),
        _method(doc, model),
        _factors(model),
        _linkage(model),
        _unknowns(model),
        _what_if(model),
        _warnings(model),
        _symptoms(model),
        ["## Known limitations", "", *(f"- {item}" for item in doc["limitations"])],
        _references(model),
        [
            "## Version history",
            "",
            "| version | date | changes |",
            "|---|---|---|",
            *(f"| {h['version']} | {h['date']} | {_flat(h['changes'])} |" for h in doc["history"]),
        ],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def _intended(doc: dict[str, Any]) -> list[str]:
    return [
        "## Intended use",
        "",
        _flat(doc["intended_use"]),
        "",
        "Intended users:",
        "",
        *(f"- {user}" for user in doc["intended_users"]),
        "",
        "Not intended for:",
        "",
        *(f"- {use}" for use in doc["not_intended_for"]),
    ]


def _method(doc: dict[str, Any], model: Model) -> list[str]:
    method = doc["method"]
    tiers = [f"{tier} from {lowest} points" for tier, lowest in model.tiers]
    return [
        "## Method",
        "",
        _flat(method["summary"]),
        "",
        f"One point stands for an odds ratio of about {method['odds_ratio_per_point']} "
        f"(log-odds {method['log_odds_per_point']}). Tiers, identical for both outcomes: "
        f"{'; '.join(tiers)}.",
        "",
        "Certainty grades:",
        "",
        *(f"- **{grade}**: {text}" for grade, text in method["certainty_grades"].items()),
    ]


def _factors(model: Model) -> list[str]:
    lines = [
        "## Factors",
        "",
        "Points per outcome for every scored level (P = non-union, H = hardware failure). "
        "Levels not listed score 0 and cite nothing.",
        "",
        "| factor | input | level | P | H | modifiable | evidence (effect, certainty) |",
        "|---|---|---|---|---|---|---|",
    ]
    for factor in model.factors:
        inputs = ", ".join(f"`{name}`" for name in (factor.input, *factor.params.get("refinements", ())))
        for level in factor.levels.values():
            p, h = (level.effects[o] for o in model.outcomes)
            if p.points or h.points or p.evidence or h.evidence:
                evidence = _evidence([*p.evidence, *(e for e in h.evidence if e not in p.evidence)])
                modifiable = "yes" if factor.modifiable else "no"
                lines.append(
                    f"| {factor.label} | {inputs} | {level.label} | {p.points} | {h.points} | {modifiable} "
                    f"| {evidence} |"
                )
    lines += ["", "### Thresholds and rules", "", *(_rules(f) for f in model.factors if _rules(f))]
    return lines


def _rules(factor: Factor) -> str:
    """Describe how a factor's inputs map to its levels."""
    parts = []
    if factor.kind == "bands":
        parts.append(", ".join(f"{lv.label} (from {lv.min:g})" for lv in factor.levels.values()))
    for marker in factor.markers:
        if marker.bands:
            bands = ", ".join(
                f"{b['grade'].replace('_', '-')} at {'≤' if 'at_most' in b else '<'} "
                f"{b.get('at_most', b.get('below')):g}"
                for b in marker.bands
            )
            parts.append(f"{marker.label}: {bands}")
        else:
            parts.append(f"{marker.label}: {marker.when_true.replace('_', '-')} when true")
        own = [e for rows in marker.evidence.values() for e in rows]
        if own:
            parts[-1] += f" (own evidence: {_evidence(own)})"
    for band in factor.params.get("bands", ()):
        parts.append(f"BMI ≥ {band['at_least']:g}: {factor.levels[band['level']].label}")
    for name, value in factor.params.get("thresholds", {}).items():
        parts.append(f"{name.replace('_', ' ')}: {value}")
    if factor.kind == "bone":
        parts.append("only the worst marker counts")
    return f"- **{factor.label}**: {'; '.join(parts)}." if parts else ""


def _linkage(model: Model) -> list[str]:
    link = model.linkage
    return [
        "## Non-union link",
        "",
        f"{model.outcomes[link.target].capitalize()} gets {link.points} extra point when the "
        f"{model.outcomes[link.source]} tier is {link.when_tier}. {link.explanation} "
        f"Evidence: {_evidence(link.evidence)}.",
    ]


def _unknowns(model: Model) -> list[str]:
    lines = [
        "## Unknown values",
        "",
        "A core factor sent as `null` adds no points to the known result; the tier range runs "
        "from the level below (unknown as absent) to the level above (unknown at its worst). "
        "The link follows the non-union range.",
        "",
        "| factor | lowest | highest |",
        "|---|---|---|",
    ]
    for factor in model.factors:
        if factor.core:
            low, high = (factor.levels[factor.unknown[b]].label for b in ("lowest", "highest"))
            lines.append(f"| {factor.label} | {low} | {high} |")
    return lines


def _what_if(model: Model) -> list[str]:
    return [
        "## What-if",
        "",
        *(
            f"- **{w.change}** ({w.factor}: {', '.join(sorted(w.from_levels))} → {w.to_level})"
            for w in model.what_if
        ),
    ]


def _warnings(model: Model) -> list[str]:
    return [
        "## Warning codes",
        "",
        "| code | message |",
        "|---|---|",
        *(f"| `{code}` | {message} |" for code, message in model.warnings.items()),
    ]


def _symptoms(model: Model) -> list[str]:
    return [
        "## Symptom review",
        "",
        "Separate from the risk score: it never changes points.",
        "",
        *(f"- **{urgency}**: {advice}" for urgency, advice in model.urgencies.items()),
        "",
        "| code | urgency | symptom | meaning |",
        "|---|---|---|---|",
        *(f"| `{s.code}` | {s.urgency} | {s.label} | {s.meaning} |" for s in model.symptoms.values()),
    ]


def _references(model: Model) -> list[str]:
    lines = ["## References", ""]
    for ref, row in model.references.items():
        ids = " ".join(f"{key.upper()} {row[key]}" for key in ("pmid", "pmc") if key in row)
        lines.append(f"- **{ref}**: {row['citation']} {ids}".rstrip())
    return lines


def _evidence(rows: Iterable[Evidence]) -> str:
    return "; ".join(f"{e.reference}: {e.effect} ({e.certainty})" for e in rows)


def _flat(text: str) -> str:
    return " ".join(text.split())
