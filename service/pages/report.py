"""The clinician report: an assessment arranged for reading, every word from the assessment or the table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from service.core import Model
from service.core.typical import range_text, rate_words

from .chart import factor_bars, tier_scale
from .form import LIST_TYPES
from .handout import handout, not_known
from .words import Words, operation
from .words import wording as page_wording

# Where a reference's identifiers lead (links the reader may follow; the page loads nothing from them).
LINKS = (
    ("pmid", "PubMed", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    ("pmc", "PMC", "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"),
    ("doi", "DOI", "https://doi.org/{}"),
    ("url", "abstract", "{}"),
)


def present(
    assessment: Mapping[str, Any],
    model: Model,
    patient: Mapping[str, Any],
    words: Words,
    contacts: Mapping[str, str],
    generated: datetime,
) -> dict[str, Any]:
    """Return the report's context: the assessment of `patient` (the body it was made from),
    arranged by outcome, with what was entered and the table's meanings, `generated` at this time
    by the server's clock (shown, never kept); the handout with the team's `contacts`."""
    doc = model.document
    blocks = assessment["outcomes"]
    most = max((e["points"] for b in blocks.values() for e in b["contributing_factors"]), default=0)
    found, unknown = changes(assessment, model), not_known(assessment, model)
    tier_ranks = {tier: rank for rank, (tier, _) in enumerate(model.tiers)}
    return {
        "assessment": assessment,
        "generated": stamp(generated),
        "operation": operation(patient, page_wording()),
        **review_context(model, assessment["symptom_review"]),
        "outcomes": [_outcome(name, block, model, most, tier_ranks) for name, block in blocks.items()],
        "no_rate": rate_words(None, doc["typical_rates"]["none"], assessment["operation_class"]),
        "changes": found,
        "not_known": unknown,
        "entered": entered(patient, model, words),
        "after_surgery": patient.get("days_since_surgery") is not None,
        "references": {row["id"]: {**row, "links": links(row)} for row in assessment["references"]},
        "certainty": doc["method"]["certainty_grades"],
        "designs": doc["method"]["designs"],
        "tiers": doc["tiers"],
        "tier_ranks": tier_ranks,
        "tier_note": doc["tier_note"],
        "typical": doc["typical_rates"],
        "handout": handout(
            assessment, model, patient, [c["entry"]["factor"] for c in found], unknown, contacts
        ),
    }


def stamp(moment: datetime) -> dict[str, str]:
    """Return an aware moment as the report prints it (ISO-like, to the minute, with its offset
    from UTC) and as its <time> element states it (ISO 8601, to the second)."""
    return {
        "machine": moment.isoformat(timespec="seconds"),
        "shown": f"{moment:%Y-%m-%d %H:%M} (UTC{moment:%z})",
    }


def review_context(model: Model, review: Mapping[str, Any] | None, refused: bool = False) -> dict[str, Any]:
    """Return what the symptom review's banner shows: the review (of a patient `refused` a score,
    on the form), its urgency's rank (most urgent 0) and the table's words for signs and phases."""
    doc = model.document["symptom_review"]
    return {
        "review": review,
        "refused": refused,
        "urgency_rank": None if review is None else list(model.urgencies).index(review["urgency"]),
        "signs": doc["signs"],
        "phases": {phase["id"]: phase["label"] for phase in doc["phases"]},
    }


def _outcome(
    name: str, block: Mapping[str, Any], model: Model, most: int, ranks: Mapping[str, int]
) -> dict[str, Any]:
    descriptions = {row["id"]: row["description"] for row in model.document["outcomes"]}
    lowest, highest = block["risk_range"]["lowest"], block["risk_range"]["highest"]
    rate = block["typical_rate"]
    return {
        "id": name,
        "name": model.outcomes[name],
        "description": descriptions[name],
        "block": block,
        "rank": ranks[block["risk"]],
        "ranged": not block["determinate"],  # a neutral badge with the range: the unknowns decide
        "lowest": lowest,
        "highest": highest,
        "highest_rank": ranks[highest],
        "points": range_text(block["points_range"]["lowest"], block["points_range"]["highest"]),
        "rate": rate and range_text(rate["low"], rate["high"]),
        "scale": tier_scale(block["points"], lowest, highest, model.tiers),
        "bars": factor_bars(block["contributing_factors"], most),
    }


def changes(assessment: Mapping[str, Any], model: Model) -> list[dict[str, Any]]:
    """Return each modifiable factor that adds points, once, with its advice and its points per outcome."""
    found: dict[str, dict[str, Any]] = {}
    for outcome, block in assessment["outcomes"].items():
        for entry in block["contributing_factors"]:
            if entry["modifiable"]:
                change = found.setdefault(entry["factor"], {"entry": entry, "points": {}})
                change["points"][model.outcomes[outcome]] = entry["points"]
    return list(found.values())


def entered(patient: Mapping[str, Any], model: Model, words: Words) -> dict[str, Any]:
    """Return what was entered, as printed under the results, in the form's labels: each input
    given (a core one not given is unknown), and the refinements not given."""
    rows, missing = [], []
    for name, row in model.inputs.items():
        value = patient.get(name)
        if row["type"] in LIST_TYPES:
            continue  # symptoms: the symptom review shows them
        if value is None and not row.get("core"):
            missing.append(words.labels[name])
        else:
            rows.append((words.labels[name], _shown(value)))
    asked = [patient.get(name) for name, row in model.inputs.items() if row["type"] in LIST_TYPES]
    # None: not asked; False: asked, none reported; True: reported (the symptom review shows them)
    return {"rows": rows, "missing": missing, "symptoms": None if asked[0] is None else bool(asked[0])}


def _shown(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def links(reference: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return (label, address) for each identifier a reference has."""
    return [(label, address.format(reference[key])) for key, label, address in LINKS if reference.get(key)]
