"""The table as published: evidence rows completed from their study, and citation lines."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .table import Evidence


class Citations:
    """Evidence rows, completed with their reference's design and population."""

    def __init__(self, references: Mapping[str, Mapping[str, Any]]) -> None:
        self.references = references

    def __call__(self, rows: Any) -> tuple[Evidence, ...]:
        return tuple(self.one(row) for row in rows or ())

    def one(self, row: Mapping[str, Any]) -> Evidence:
        full = completed(row, self.references)
        return Evidence(
            reference=full["reference"],
            effect=full["effect"],
            certainty=full["certainty"],
            outcome_measured=full["outcome_measured"],
            extrapolated=full["extrapolated"],
            design=full["design"] or "",
            population=full["population"] or "",
            outcome_source=full["outcome_source"] or "",
        )


def completed(row: Mapping[str, Any], references: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Return an evidence row with its study's design, population and outcome source where the row
    gives none, and `extrapolated` false unless the row says so."""
    source = references.get(row["reference"], {})
    return {
        "design": source.get("design"),
        "population": source.get("population"),
        "outcome_source": source.get("outcome_source"),
        "extrapolated": False,
        **row,
    }


def published(doc: Mapping[str, Any], references: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    """Return the table as GET /v1/model publishes it: each evidence row with its study's design and
    population, each reference with the outcomes it is cited for."""
    published = copy.deepcopy(dict(doc))
    measured: dict[str, list[str]] = {ref: [] for ref in references}
    for row in _evidence_rows(published):
        row.update(completed(row, references))
        if row["outcome_measured"] not in measured.get(row["reference"], [row["outcome_measured"]]):
            measured[row["reference"]].append(row["outcome_measured"])
    for reference in published["references"]:
        reference["citation"] = citation(reference)
        reference["measured"] = measured.get(reference["id"], [])
    if "symptom_review" in published:
        _publish_symptoms(published["symptom_review"])
    ranges = tier_ranges([(tier["id"], tier["min_points"]) for tier in published["tiers"]])
    for tier in published["tiers"]:
        tier["meaning"] = f"{ranges[tier['id']]}: {tier['meaning']}"
    return published


def with_thresholds(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return the table with each `{name}` in a factor's level labels, and in the changes of the
    what-ifs on that factor, said from the factor's `thresholds` (the one place the number is said):
    "quit less than {recent_quit_months} months ago". A name the factor has no threshold for is a
    KeyError (the table refuses to load). Only the rows filled are copied."""
    thresholds = {row["id"]: row.get("thresholds", {}) for row in doc["factors"]}
    filled = {**doc, "factors": [_labels_said(row, thresholds[row["id"]]) for row in doc["factors"]]}
    if "what_if" in doc:
        filled["what_if"] = [
            {**row, "change": row["change"].format(**thresholds.get(row["factor"], {}))}
            for row in doc["what_if"]
        ]
    return filled


def _labels_said(factor: Mapping[str, Any], thresholds: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **factor,
        "levels": [{**level, "label": level["label"].format(**thresholds)} for level in factor["levels"]],
    }


def tier_ranges(tiers: Sequence[tuple[str, int]]) -> dict[str, str]:
    """Each tier's points as the documents say them, from the tiers' lowest points (the one place
    they are said): "0–1 points", "2 points", "5 points or more"."""
    ranges = {}
    for (tier, lowest), above in zip(tiers, [*tiers[1:], None], strict=True):
        highest = None if above is None else above[1] - 1
        if highest is None:
            ranges[tier] = f"{_points(lowest)} or more"
        else:
            ranges[tier] = _points(lowest) if highest == lowest else f"{lowest}–{highest} points"
    return ranges


def _points(count: int) -> str:
    return "1 point" if count == 1 else f"{count} points"


def temperature(celsius: float) -> str:
    """A fever threshold as the texts show it: "38.0 °C"."""
    return f"{celsius:.1f} °C"


def _publish_symptoms(review: dict[str, Any]) -> None:
    """Fill each symptom's texts with the fever thresholds ({f}, {hf}), and give it `urgency`: its
    level when days since surgery are not given, the most urgent of its phases."""
    thresholds = {"f": temperature(review["fever_c"]), "hf": temperature(review["high_fever_c"])}
    rank = {u["id"]: position for position, u in enumerate(review["urgencies"])}
    for symptom in review["symptoms"]:
        for key in ("label", "patient_label", "meaning"):
            if isinstance(symptom.get(key), str):
                symptom[key] = flat(symptom[key]).format(**thresholds)
        levels = [u for u in dict(symptom.get("urgency_by_phase") or {}).values() if u in rank]
        symptom["urgency"] = min(levels, key=rank.__getitem__, default=None)


def citation(row: Mapping[str, Any]) -> str:
    """Return a reference as one citation line: authors, title, journal, year and detail."""
    authors, title, journal, year = (
        str(row.get(key) or "") for key in ("authors", "title", "journal", "year")
    )
    detail = f";{row['detail']}" if row.get("detail") else ""
    return " ".join(f"{_sentence(authors)} {_sentence(title)} {journal} {year}{detail}.".split())


def _sentence(text: str) -> str:
    """The text ending with one full stop ("et al." keeps its own; a question keeps its mark)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _evidence_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = list(doc["linkage"]["evidence"])
    rows += [e for item in doc.get("considered_not_scored", ()) for e in item["evidence"]]
    for factor in doc["factors"]:
        for level in factor["levels"]:
            rows += [e for o in doc["outcomes"] for e in level[o["id"]].get("evidence", ())]
        for marker in factor.get("markers", ()):
            rows += [e for entries in marker.get("evidence", {}).values() for e in entries]
    return rows


def flat(value: str) -> str:
    """The text with its runs of white space (YAML folding) made single spaces."""
    return " ".join(value.split())


def optional_flat(value: str | None) -> str | None:
    return flat(value) if value else None
