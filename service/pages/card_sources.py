"""Model card sections on the sources: the references and the version history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.core import Model


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


def flat(text: str) -> str:
    return " ".join(str(text).split())
