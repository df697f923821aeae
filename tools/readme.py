"""Fill the generated blocks of README.md and docs/api.md from the model table: `make docs`.

A block is the text between `<!-- generated: NAME -->` and `<!-- end: NAME -->`; everything
else in the file is prose, which states no clinical number (a test checks the blocks are fresh).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemas.examples import ASSESSMENT_EXAMPLES
from service.core import Assessor, Model, default_model
from service.core.publish import flat
from service.core.typical import range_text
from service.pages import card

from .population_example import population_example

FILES = ("README.md", "docs/api.md")
BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)", re.S)


def _tiers(model: Model) -> list[str]:
    doc = model.document
    return [*(f"- **{t['id']}**: {flat(t['meaning'])}" for t in doc["tiers"]), "", flat(doc["tier_note"])]


def _adults(model: Model) -> list[str]:
    return [f"The model applies to adults: an `age` under {model.adult_age} is refused (422 naming `age`)."]


MORE = "…"  # what stands for the rest


def _example(model: Model) -> list[str]:
    """The README's high-risk patient and the service's real answer, shortened to its shape."""
    patient = ASSESSMENT_EXAMPLES["high"]["value"]
    answer = Assessor(model)(patient)
    body = json.dumps(patient, ensure_ascii=False)
    return [
        "```sh",
        "curl -s http://127.0.0.1:8000/v1/assessments -H 'Content-Type: application/json' \\",
        f"  -d '{body}' | python3 -m json.tool --no-ensure-ascii",
        "```",
        "",
        "```json",
        json.dumps(_shortened(answer), indent=2, ensure_ascii=False),
        "```",
    ]


def _shortened(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer cut to what the first screen shows: per outcome the tier, points and summary."""
    outcomes = {
        name: {**{key: outcome[key] for key in ("risk", "points", "summary")}, MORE: MORE}
        for name, outcome in answer["outcomes"].items()
    }
    return {"model": answer["model"], "outcomes": outcomes, MORE: MORE}


def _rates(model: Model) -> list[str]:
    """The typical published rates as a table: per kind of operation, each outcome's range (or none)."""
    doc, names, bone = model.document["typical_rates"], model.outcomes, card.bone_words(model)
    lines = [f"| kind of operation | {' | '.join(names.values())} |", "|---|" + "---|" * len(names)]
    for kind in doc["classes"]:
        cells = []
        for outcome in names:
            shown = [
                range_text(rate["low"], rate["high"])
                + (f" ({card.when_words(rate['when'], bone)})" if rate.get("when") else "")
                for rate in doc["rates"]
                if kind["id"] in rate["classes"]
                and rate["outcome"] == outcome
                and rate.get("low") is not None
            ]
            cells.append("; ".join(shown) or "none shown")
        lines.append(f"| {kind['label']} | {' | '.join(cells)} |")
    return lines


def _body(section: Callable[[Model], list[str]]) -> Callable[[Model], list[str]]:
    """A model card section without its heading."""
    return lambda model: section(model)[2:]


BLOCKS: dict[str, Callable[[Model], list[str]]] = {
    "example": _example,
    "typical-rates": _rates,
    "tiers": _tiers,
    "adults": _adults,
    "unknowns": _body(card.unknowns),
    "what-if": _body(card.what_if),
    "warnings": _body(card.warnings),
    "urgencies": card.urgencies,
    "population": population_example,
}


def fill(text: str, model: Model) -> str:
    """Return the text with every generated block rendered afresh; an unknown block name fails."""

    def render(match: re.Match[str]) -> str:
        lines = BLOCKS[match["name"]](model)
        return f"{match[1]}{chr(10).join(lines)}\n{match[4]}"

    return BLOCK.sub(render, text)


def main(root: Path) -> None:
    model = default_model()
    for name in FILES:
        path = root / name
        path.write_text(fill(path.read_text(encoding="utf-8"), model), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
