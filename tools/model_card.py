"""Render the model card (docs/model-card.md) from the model table: `make model-card`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.core import Model, default_model
from service.core.table import Evidence, Factor

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
            f"Model `{model.id}`, version **{model.version}**, released {doc['released']}, "
            f"last reviewed {doc['reviewed']}.",
            "",
            f"> {model.disclaimer}",
        ],
        _intended(doc),
        _method(doc, model),
        _tiers(doc),
        _factors(model),
        _linkage(model),
        _unknowns(model),
        _what_if(model),
        _warnings(model),
        _symptoms(model),
        ["## Known limitations", "", *(f"- {item}" for item in doc["limitations"])],
        _references(model),
        _history(doc),
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
        "",
        f"Adults only: a patient younger than {doc['adult_age']} gets no tiers.",
    ]


def _method(doc: dict[str, Any], model: Model) -> list[str]:
    method = doc["method"]
    designs = "; ".join(
        f"{method['designs'][design]}: {', '.join(grades)}"
        for design, grades in method["design_grades"].items()
    )
    return [
        "## Method",
        "",
        _flat(method["summary"]),
        "",
        f"One point stands for an odds ratio of about {method['odds_ratio_per_point']} "
        f"(log-odds {method['log_odds_per_point']}).",
        "",
        "Certainty grades:",
        "",
        *(f"- **{grade}**: {text}" for grade, text in method["certainty_grades"].items()),
        "",
        f"The grades each design allows (checked when the table loads): {designs}. Evidence for an "
        "outcome must have measured that outcome; an effect taken from another outcome is marked "
        "extrapolated and graded D.",
    ]


def _tiers(doc: dict[str, Any]) -> list[str]:
    return [
        "## Tiers",
        "",
        "Identical for both outcomes. " + _flat(doc["tier_note"]),
        "",
        *(f"- **{tier['id']}**: {_flat(tier['meaning'])}" for tier in doc["tiers"]),
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
                f"{factor.levels[b['grade']].label} at {'≤' if 'at_most' in b else '<'} "
                f"{b.get('at_most', b.get('below')):g}"
                for b in marker.bands
            )
            parts.append(f"{marker.label}: {bands}")
        else:
            parts.append(f"{marker.label}: {factor.levels[marker.when_true].label} when true")
        if len(marker.outcomes) < len(factor.levels[factor.unknown["lowest"]].effects):
            parts[-1] += f" (for {', '.join(sorted(marker.outcomes))} only"
            parts[-1] += f", unless {' or '.join(marker.unless)} is given)" if marker.unless else ")"
        own = [e for rows in marker.evidence.values() for e in rows]
        if own:
            parts[-1] += f" (own evidence: {_evidence(own)})"
    for name, value in factor.params.get("thresholds", {}).items():
        parts.append(f"{name.replace('_', ' ')}: {value}")
    if factor.reads:
        parts.append(f"reads {', '.join(factor.reads)}")
    if factor.kind == "bone":
        parts.append("only the worst marker counts, for each outcome")
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
    combined = model.combined_change.format(changes="…")
    return [
        "## What-if",
        "",
        *(
            f"- **{w.change}** ({w.factor}: {', '.join(sorted(w.from_levels))} → {w.to_level})"
            for w in model.what_if
        ),
        f"- **{combined}**, when two or more apply.",
        "",
        "A change that would not alter an outcome's points is not listed for that outcome.",
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
    review = model.document["symptom_review"]
    phases = "; ".join(f"**{p['id']}** ({p['label']})" for p in review["phases"])
    return [
        "## Symptom review",
        "",
        "Separate from the risk score: it never changes points. Phases of `days_since_surgery`: "
        f"{phases}. A symptom of a neurological deficit is always an emergency (checked at load).",
        "",
        *(f"- **{urgency}**: {advice}" for urgency, advice in model.urgencies.items()),
        *(
            f"- In the {', '.join(n['phases'])} phases, with {n['sign']} findings: {n['note']}"
            for n in model.phase_notes
        ),
        "",
        "| code | sign | urgency | symptom | meaning |",
        "|---|---|---|---|---|",
        *(
            f"| `{s.code}` | {s.sign} | {s.urgency}{_by_phase(s.by_phase)} | {s.label} | {s.meaning} |"
            for s in model.symptoms.values()
        ),
    ]


def _by_phase(by_phase: dict[str, str]) -> str:
    return "".join(f"; {urgency} when {phase}" for phase, urgency in by_phase.items())


def _references(model: Model) -> list[str]:
    method = model.document["method"]
    lines = [
        "## References",
        "",
        "What each study measured, in whom, and how. Unverified parts are named, never guessed.",
        "",
        "| id | reference | design | population | measured |",
        "|---|---|---|---|---|",
    ]
    for row in model.document["references"]:
        ids = " ".join(f"{key.upper()} {row[key]}" for key in ("pmid", "pmc", "doi") if row.get(key))
        ids += f" <{row['url']}>" if row.get("url") else ""
        unverified = f" *Not verified: {', '.join(row['unverified'])}.*" if row.get("unverified") else ""
        measured = ", ".join(method["measures"][m] for m in row["measured"])
        citation = f"{row['authors']}. {row['title']}. {row['journal']} {row['year']}. {ids}{unverified}"
        design = method["designs"][row["design"]]
        lines.append(f"| **{row['id']}** | {_flat(citation)} | {design} | {row['population']} | {measured} |")
    return lines


def _history(doc: dict[str, Any]) -> list[str]:
    lines = ["## Version history", "", "| version | date | change | reviewed by |", "|---|---|---|---|"]
    for entry in doc["history"]:
        for change in entry["changes"]:
            text = _flat(change["change"])
            lines.append(f"| {entry['version']} | {entry['date']} | {text} | {change['reviewed_by']} |")
    return lines


def _evidence(rows: Iterable[Evidence]) -> str:
    return "; ".join(
        f"{e.reference}: {e.effect} ({e.certainty}{', extrapolated' if e.extrapolated else ''})" for e in rows
    )


def _flat(text: str) -> str:
    return " ".join(str(text).split())


if __name__ == "__main__":
    print(render_card(default_model()), end="")
