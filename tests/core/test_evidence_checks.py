"""Evidence integrity (model 1.1): what each row measured, in whom, how; grades capped by design and
outcome at load; the re-grades and re-attributions; complete references."""

from __future__ import annotations

import copy

import pytest

from service.core import ModelError, build_model
from tests.core.conftest import table_factor

DESIGN_GRADES = {
    "meta_analysis": set("ABCD"),
    "database": set("BCD"),
    "cohort": set("CD"),
    "series": set("CD"),
    "abstract": set("CD"),
}
MEASURES = {
    "pseudarthrosis": {"nonunion", "nonunion_reoperation", "fusion_failure"},
    "hardware_failure": {"screw_loosening", "rod_fracture", "cage_subsidence", "mechanical_failure"},
}


def test_every_row_states_what_was_measured_in_whom_how_and_whether_extrapolated(model):
    for outcome, row in model.all_evidence():
        assert row.outcome_measured and row.population and row.design, row
        assert row.certainty in DESIGN_GRADES[row.design], row
        assert row.outcome_measured in MEASURES[outcome] or (row.extrapolated and row.certainty == "D"), row


@pytest.mark.parametrize(
    ("reference", "grade"),
    [
        ("kim-2006", "C"),
        ("smith-2014", "C"),
        ("zou-2020", "C"),
        ("daniels-2018", "C"),
        ("hofler-2018", "B"),
        ("passias-2019", "B"),
    ],
)
def test_the_regrades(model, reference, grade):
    """One grade per study for what it measured; D only where a row extrapolates or cites no
    comparative effect (a fact about the row, not the study)."""
    grades = {row.certainty for _, row in model.all_evidence() if row.reference == reference}
    assert grades - {"D"} == {grade}


def _rows(model, factor_id, level, outcome):
    return model.factor(factor_id).levels[level].effects[outcome].evidence


def test_the_reattributions(model):
    osteotomy = _rows(model, "three_column_osteotomy", "present", "pseudarthrosis")
    assert [(r.reference, r.outcome_measured, r.certainty) for r in osteotomy] == [
        ("gupta-2018", "nonunion", "C")
    ]
    bone = model.by_kind["bone"]
    steroid = next(m for m in bone.markers if m.input == "steroid_use").evidence["hardware_failure"]
    assert all(r.extrapolated and r.certainty == "D" for r in steroid)
    hba1c = _rows(model, "hba1c", "poorly_controlled", "pseudarthrosis")
    assert all(r.extrapolated and r.certainty == "D" for r in hba1c)
    assert all(r.extrapolated and r.certainty == "D" for r in model.linkage.evidence)
    levels = _rows(model, "levels_fused", "three_or_four", "hardware_failure")
    assert {(r.reference, r.certainty) for r in levels} == {("zou-2020", "C"), ("smith-2014", "D")}


def test_every_reference_is_complete(model):
    for ref, row in model.references.items():
        assert all(row.get(field) for field in ("authors", "title", "journal", "year")), ref
        assert any(row.get(key) for key in ("pmid", "pmc", "doi", "url")), ref
    yang = model.references["yang-2024"]
    assert yang["title"].startswith("Risk factors affecting spinal fusion")  # not lumbar fusion only
    glassman = model.references["glassman-2000"]
    assert glassman["authors"].startswith("Glassman SD") and "after surgery" in glassman["population"]
    assert model.references["de-liyis-2025"]["doi"] == "10.31616/asj.2025.0142"


def _row(table, factor_id, level_index, outcome, row_index=0):
    return table_factor(table, factor_id)["levels"][level_index][outcome]["evidence"][row_index]


REFUSALS = {
    "a hardware row that measured non-union": (
        lambda t: _row(t, "three_column_osteotomy", 0, "hardware_failure").update(
            outcome_measured="nonunion"
        ),
        "measured nonunion for hardware_failure",
    ),
    "a non-union row that measured 90-day complications, not extrapolated": (
        lambda t: _row(t, "hba1c", 0, "pseudarthrosis").update(extrapolated=False),
        "measured complications_90_day for pseudarthrosis",
    ),
    "an extrapolated row graded above D": (
        lambda t: _row(t, "hba1c", 0, "pseudarthrosis").update(certainty="C"),
        "an extrapolated effect is certainty D",
    ),
    "a cohort graded B": (
        lambda t: _row(t, "fusion_to_sacrum_or_pelvis", 0, "hardware_failure").update(certainty="B"),
        "certainty B is stronger than a cohort design allows",
    ),
    "a database study graded A": (
        lambda t: _row(t, "steroid_use", 0, "pseudarthrosis").update(certainty="A"),
        "certainty A is stronger than a database design allows",
    ),
    "an abstract graded B": (
        lambda t: _row(t, "other_nicotine", 0, "pseudarthrosis").update(certainty="B"),
        "certainty B is stronger than a abstract design allows",
    ),
    "a reference without an identifier": (
        lambda t: [t["references"][0].pop(key, None) for key in ("pmid", "doi")],
        "needs a PMID, PMC id, DOI or URL",
    ),
    "a reference without authors": (lambda t: t["references"][1].pop("authors"), "missing authors"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_table_breaking_an_evidence_rule_refuses_to_load(table, case):
    build_model(copy.deepcopy(table))  # the table as published loads
    breakage, message = REFUSALS[case]
    breakage(table)
    with pytest.raises(ModelError, match=message):
        build_model(table)
