"""CDS Hooks cards from an assessment: one per outcome, and one for data that could raise it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from schemas.cds_hooks import CARD_SUMMARY_LIMIT

from ..core import Model
from ..core.typical import rate_words

# Why data may be missing from an assessment, as told on the data card (a fixed set: nothing
# from the request or the FHIR server is quoted).
NOTICES = {
    "not_allowed": "The FHIR server given is not on this service's allow-list: nothing was fetched from it.",
    "budget": "The FHIR server did not answer within the time allowed.",
    "network": "The FHIR server could not be reached.",
    "status": "The FHIR server refused a request.",
    "size": "A response from the FHIR server was larger than the service reads.",
    "encoding": "A response from the FHIR server was compressed, which the service does not read.",
    "malformed": "A response from the FHIR server was not usable FHIR JSON.",
    "pages": "A search had more pages than the service follows.",
    "entries": "There were more resources than the service reads.",
    "link": "A paging link pointed outside the FHIR server; it was not followed.",
    "other_patient": "Resources about another patient than the one in context, or naming no patient by "
    "reference, were ignored.",
}


def cards(
    assessment: Mapping[str, Any],
    hook_instance: str,
    source: Mapping[str, str],
    model: Model,
    indicators: Mapping[str, str],
    notices: AbstractSet[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Return the cards for one assessment (`indicators`: tier -> card indicator), and a data card
    when some data could not be used (keys of NOTICES). An outcome's indicator follows the highest
    tier its range reaches: missing data never calms it."""
    names = model.outcomes
    found = [
        {
            "uuid": _uuid(hook_instance, outcome),
            "summary": block["summary"],
            "indicator": indicators[block["risk_range"]["highest"]],
            "detail": _detail(names[outcome], block, assessment, model.typical.none),  # the rate, or none
            "source": source,
            **({"links": [_model_link(source)]} if "url" in source else {}),
        }
        for outcome, block in assessment["outcomes"].items()
    ]
    widened = [b for b in assessment["outcomes"].values() if not b["determinate"]]
    if widened:
        found.append(_unknown_card(assessment, hook_instance, source, names))
    if notices:
        found.append(_data_card(notices, hook_instance, source))
    return found


def notice_lines(notices: AbstractSet[str]) -> list[str]:
    """Why data could not be read, one listed line per reason, in NOTICES' order."""
    return [f"- {NOTICES[key]}" for key in NOTICES if key in notices]


def _model_link(source: Mapping[str, str]) -> dict[str, str]:
    return {
        "label": "How this risk is worked out (the model and its evidence)",
        "url": source["url"],
        "type": "absolute",
    }


def _data_card(notices: AbstractSet[str], hook_instance: str, source: Mapping[str, str]) -> dict[str, Any]:
    lines = ["Some of the patient's data could not be used, so factors may be missing:", ""]
    lines += notice_lines(notices)
    return {
        "uuid": _uuid(hook_instance, "incomplete-data"),
        "summary": "Incomplete data: the result may leave out some of the patient's risk factors.",
        "indicator": "info",
        "detail": "\n".join(lines),
        "source": source,
    }


def _detail(name: str, block: Mapping[str, Any], assessment: Mapping[str, Any], no_rate: str) -> str:
    lowest, highest = block["risk_range"]["lowest"], block["risk_range"]["highest"]
    lines = [f"**{lowest.capitalize()} risk of {name}** ({block['points']} points)."]
    if not block["determinate"]:
        worst = block["points_range"]["highest"]
        lines[0] += f" With the unknown data at its worst: **{highest}** ({worst} points)."
    lines += ["", rate_words(block["typical_rate"], no_rate, assessment["operation_class"])]
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
        lines += [f"- If the patient could {w['change']}: {w['points_change']}." for w in block["what_if"]]
    lines += ["", f"_{assessment['disclaimer']}_"]
    return "\n".join(lines)


def _unknown_card(
    assessment: Mapping[str, Any], hook_instance: str, source: Mapping[str, str], names: Mapping[str, str]
) -> dict[str, Any]:
    unknown = [u["label"] for u in assessment["unknown_factors"]]
    summary = f"Missing data could raise the risk: {', '.join(unknown)}."
    if len(summary) >= CARD_SUMMARY_LIMIT:
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


def not_assessed(hook_instance: str, source: Mapping[str, str], adult_age: int) -> dict[str, Any]:
    """The one card for a patient the model does not apply to: no risk is given."""
    return {
        "uuid": _uuid(hook_instance, "not-assessed"),
        "summary": f"No risk shown: this model applies to adults ({adult_age} or older).",
        "indicator": "info",
        "detail": f"The evidence behind the model comes from adults; for a patient younger than {adult_age} "
        "it would overstate the risk, so no tier is given.",
        "source": source,
    }


# Why a hook gave no risk card, said only with CDS_EXPLAIN_NO_CARD (off by default): the rule, for
# an integrator checking the wiring; an EHR's users see no card at all.
NO_CARD = {
    "patient-view": (
        "No spinal fusion planned or recent: no risk card.",
        "This service shows risk cards only for a patient with a spinal fusion planned, under way, or "
        "completed in the last {recent_days} days; the data it read shows none. Set "
        "CDS_EXPLAIN_NO_CARD off to answer with no card instead.",
    ),
    "order-select": (
        "No spinal fusion among the selected orders: no risk card.",
        "This service shows risk cards at order-select only when a selected draft order is a spinal "
        "fusion (the codes in docs/fhir-mapping.md). Set CDS_EXPLAIN_NO_CARD off to answer with no "
        "card instead.",
    ),
}


def no_card(
    hook: str,
    hook_instance: str,
    source: Mapping[str, str],
    recent_days: int,
    notices: AbstractSet[str] = frozenset(),
) -> dict[str, Any]:
    """The one `info` card saying why a hook gives no risk card (the fusion rule it applies); when
    some data could not be read, it says so first: a fusion may be in what was not read."""
    summary, detail = NO_CARD[hook]
    detail = detail.format(recent_days=recent_days)
    if notices:
        summary = "Some data could not be read, and none read shows a spinal fusion: no risk card."
        lines = ["Some of the patient's data could not be read, so a fusion may be in what is missing:", ""]
        detail = "\n".join([*lines, *notice_lines(notices), "", detail])
    return {
        "uuid": _uuid(hook_instance, "no-fusion"),
        "summary": summary,
        "indicator": "warning" if notices else "info",
        "detail": detail,
        "source": source,
    }
