"""The model card, rendered from the model table: docs/model-card.md (`make model-card`) and GET /model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service.core import Model
from service.core.table import Evidence, Factor

from . import card_behaviour as behaviour
from . import card_rates as rates
from . import card_sources as sources

HEADER = "<!-- Generated from service/core/model_v1.yaml by `make model-card`; do not edit. -->"


def render_card(model: Model) -> str:
    """Return the model card as Markdown, as docs/model-card.md holds it."""
    return f"{HEADER}\n\n{card_body(model)}"


def card_body(model: Model) -> str:
    """Return the model card's Markdown without the generated-file header (the web page shows this)."""
    doc = model.document
    sections = [
        [
            f"# Model card: {doc['title']}",
            "",
            f"Model `{model.id}`, version **{model.version}**, released {doc['released']}, "
            f"last reviewed {doc['reviewed']}.",
            "",
            f"> {model.disclaimer}",
        ],
        _intended(doc),
        rates.performance(model),
        _method(doc, model),
        _tiers(doc),
        rates.typical_rates(model),
        _factors(model),
        _linkage(model),
        rates.considered(model),
        behaviour.unknowns(model),
        behaviour.what_if(model),
        behaviour.advice(model),
        behaviour.warnings(model),
        behaviour.symptoms(model),
        ["## Known limitations", "", *(f"- {item}" for item in doc["limitations"])],
        sources.references(model),
        sources.history(doc),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def _intended(doc: Mapping[str, Any]) -> list[str]:
    return [
        "## Intended use",
        "",
        sources.flat(doc["intended_use"]),
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
        "",
        "### When not to use",
        "",
        *(f"- {item}" for item in doc["when_not_to_use"]),
    ]


def _method(doc: Mapping[str, Any], model: Model) -> list[str]:
    method = doc["method"]
    designs = "; ".join(
        f"{method['designs'][design]}: {', '.join(grades)}"
        for design, grades in method["design_grades"].items()
    )
    return [
        "## Method",
        "",
        sources.flat(method["summary"]),
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
        "extrapolated and graded D. Each study states where its outcome came from ("
        + "; ".join(f"{source}: {words}" for source, words in method["outcome_sources"].items())
        + "); an outcome read from codes is graded C at best. Where points have an anchor effect, they "
        "are its ln(OR) / 0.405, rounded, unless the table says why they were lowered (both checked "
        "when the table loads).",
    ]


def _tiers(doc: Mapping[str, Any]) -> list[str]:
    return [
        "## Tiers",
        "",
        "Identical for both outcomes. " + sources.flat(doc["tier_note"]),
        "",
        *(f"- **{tier['id']}**: {sources.flat(tier['meaning'])}" for tier in doc["tiers"]),
        "",
        "Horizons: " + "; ".join(f"{o['name']} {o['horizon']}" for o in doc["outcomes"]) + ".",
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
        parts.append(", ".join(f"{lv.label} (from {lv.min:g})" for lv in reversed(factor.descending)))
        for region, moves in factor.params.get("by_region", {}).items():
            moved = ", ".join(
                f"{factor.levels[band].label} → {factor.levels[to].label}" for band, to in moves.items()
            )
            parts.append(f"in a {region} fusion: {moved}")
    for marker in factor.markers:
        if marker.bands:
            bands = ", ".join(
                f"{factor.levels[b['grade']].label} at {'≤' if 'at_most' in b else '<'} "
                f"{b.get('at_most', b.get('below')):g}"
                for b in marker.bands
            )
            parts.append(f"{marker.label}: {bands}")
        elif marker.when_true is not None:
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


def _evidence(rows: Iterable[Evidence]) -> str:
    return "; ".join(
        f"{e.reference}: {e.effect} ({e.certainty}{', extrapolated' if e.extrapolated else ''})" for e in rows
    )
