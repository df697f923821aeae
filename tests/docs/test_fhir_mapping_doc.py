"""docs/fhir-mapping.md is generated from the mapping table and kept fresh."""

from __future__ import annotations

from pathlib import Path

from service.fhir import load_terminology
from tools.fhir_mapping import render_mapping

DOC = Path(__file__).resolve().parents[2] / "docs" / "fhir-mapping.md"


def test_mapping_doc_is_fresh():
    assert DOC.read_text(encoding="utf-8") == render_mapping(load_terminology().table), "run `make fhir-doc`"


def leaves(node):
    """Yield every string or number in nested lists and mappings."""
    if isinstance(node, dict):
        for value in node.values():
            yield from leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value)
    else:
        yield node


def test_every_code_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    table = load_terminology().table
    codes = [row.get(key) for row in table["observations"].values() for key in ("codes", "answers")]
    codes += [[row.get("snomed", []), row.get("icd10cm", [])] for row in table["conditions"].values()]
    codes += [table["steroids"]["rxnorm"], table["fusion"]["snomed"], table["fusion"]["cpt"]]
    codes += [table["history"], table["quit_date"], table["steroids"]["not_systemic_route_codes"]]
    codes += [
        table["fusion"]["approaches"],
        table["fusion"]["both_approaches"],
        [list(pair) for pair in table["gender"].items()],
    ]
    codes += [list(row["icd10cm"]) for row in table["output"]["outcome_codes"].values()]
    for code in leaves(codes):
        if code is not None:
            assert f"`{code}`" in doc, code
