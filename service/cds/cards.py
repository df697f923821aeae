"""CDS Hooks cards from an assessment: one per outcome, and one for data that could raise it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

INDICATOR = {"low": "info", "moderate": "warning", "high": "critical"}
SUMMARY_LIMIT = 140  # CDS Hooks: a card summary is under 140 characters


def cards(
    assessment: Mapping[str, Any], hook_instance: str, source_label: str, names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Return the cards for one assessment (`names`: outcome id -> plain-language name)."""
    source = {"label": source_label}
    found = [
        {
            "uuid": _uuid(hook_instance, outcome),
            "summary": block["summary"],
            "indicator": INDICATOR[block["risk"]],
            "detail": _detail(names[outcome], block, assessment),
            "source": source,
        }
        for outcome, block in assessment["outcomes"].items()
    ]
    widened = [b for b in assessment["outcomes"].values() if b["risk_range"]["highest"] != b["risk"]]
    if widened:
        found.append(_unknown_card(assessment, hook_instance, source, names))
    return found


def _detail(name: str, block: Mapping[str, Any], assessment: Mapping[str, Any]) -> str:
    lines = [f"**{block['risk'].capitalize()} risk of {name}** ({block['points']} points)."]
    if block["risk_range"]["highest"] != block["risk"]:
        lines[0] += f" With the unknown data at its worst: **{block['risk_range']['highest']}**."
    if block["contributing_factors"]:
        lines += ["", "Contributing factors:"]
        lines += [
            f"- **{e['label']}** ({e.get('basis') or e['category']}): +{e['points']}. {e['explanation']}"
            for e in block["contributing_factors"]
        ]
    changeable = [e for e in block["contributing_factors"] if e.get("advice")]
    if changeable:
        lines += ["", "What can be changed:"]
        lines += [f"- **{e['label']}**: {e['advice']}" for e in changeable]
        lines += [
            f"- If the patient could {w['change']}: {w['risk']} ({w['points']} points)."
            for w in block["what_if"]
        ]
    lines += ["", f"_{assessment['disclaimer']}_"]
    return "\n".join(lines)


def _unknown_card(
    assessment: Mapping[str, Any], hook_instance: str, source: dict[str, str], names: Mapping[str, str]
) -> dict[str, Any]:
    unknown = [u["label"] for u in assessment["unknown_factors"]]
    summary = f"Missing data could raise the risk: {', '.join(unknown)}."
    if len(summary) >= SUMMARY_LIMIT:
        summary = f"Missing data could raise the risk: {len(unknown)} factors are unknown."
    lines = ["Recording these would narrow the risk range:", ""]
    lines += [f"- **{u['label']}** (worst case: {u['worst_case']})" for u in assessment["unknown_factors"]]
    lines.append("")
    for outcome, block in assessment["outcomes"].items():
        bounds = block["risk_range"]
        lines.append(f"- {names[outcome].capitalize()}: {bounds['lowest']} to {bounds['highest']}")
    return {
        "uuid": _uuid(hook_instance, "unknown-data"),
        "summary": summary,
        "indicator": "info",
        "detail": "\n".join(lines),
        "source": source,
    }


def _uuid(hook_instance: str, part: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{hook_instance}|{part}"))
