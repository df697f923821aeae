"""The model card, rendered from the model table: docs/model-card.md (`make model-card`) and GET /model.

One module for one document, in the card's order: what the model is for and how it scores; what the
tiers are set against (the typical published rates, the effects weighed but not scored, what is
known of its performance); what it does beside scoring (unknowns, what-ifs, advice, warnings, the
symptom review); and its sources (references, version history). tools/readme.py fills the README's
generated blocks from the same sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from service.core import Model
from service.core.publish import flat, temperature
from service.core.table import Evidence, Factor
from service.core.typical import BONE_QUALITY, range_text

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
        performance(model),
        _method(doc, model),
        _tiers(doc),
        typical_rates(model),
        _factors(model),
        _linkage(model),
        considered(model),
        unknowns(model),
        what_if(model),
        advice(model),
        warnings(model),
        symptoms(model),
        ["## Known limitations", "", *(f"- {item}" for item in doc["limitations"])],
        references(model),
        history(doc),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def _intended(doc: Mapping[str, Any]) -> list[str]:
    return [
        "## Intended use",
        "",
        flat(doc["intended_use"]),
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
        flat(method["summary"]),
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
        "Identical for both outcomes. " + flat(doc["tier_note"]),
        "",
        *(f"- **{tier['id']}**: {flat(tier['meaning'])}" for tier in doc["tiers"]),
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


# What the tiers are set against.


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


# What the model does beside scoring.


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


# The sources.


def references(model: Model) -> list[str]:
    method = model.document["method"]
    lines = [
        "## References",
        "",
        "What each study measured, in whom, and how. Unverified parts are named, never guessed.",
        "",
        "| id | reference | design | outcome source | population | measured |",
        "|---|---|---|---|---|---|",
    ]
    for row in model.document["references"]:
        ids = " ".join(f"{key.upper()} {row[key]}" for key in ("pmid", "pmc", "doi") if row.get(key))
        ids += f" <{row['url']}>" if row.get("url") else ""
        unverified = f" *Not verified: {', '.join(row['unverified'])}.*" if row.get("unverified") else ""
        measured = ", ".join(method["measures"][m] for m in row["measured"])
        cited = f"{row['citation']} {ids}{unverified}"  # the published line, as responses cite it
        design = method["designs"][row["design"]]
        source = method["outcome_sources"][row["outcome_source"]]
        cells = [f"**{row['id']}**", flat(cited), design, source, row["population"], measured or "—"]
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def history(doc: Mapping[str, Any]) -> list[str]:
    lines = ["## Version history", "", "| version | date | change | reviewed by |", "|---|---|---|---|"]
    for entry in doc["history"]:
        for change in entry["changes"]:
            text = flat(change["change"])
            lines.append(f"| {entry['version']} | {entry['date']} | {text} | {change['reviewed_by']} |")
    return lines
