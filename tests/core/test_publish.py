"""The table as GET /v1/model publishes it, and citation lines."""

from __future__ import annotations

import pytest

from service.core import ModelError, build_model
from service.core.publish import (
    Citations,
    citation,
    flat,
    optional_flat,
    published,
    tier_ranges,
    with_thresholds,
)


def test_a_citation_line_names_authors_title_journal_year_and_detail():
    row = {"authors": "Doe J", "title": "A study", "journal": "Spine", "year": 2020, "detail": "45(1):1-9"}
    assert citation(row) == "Doe J. A study. Spine 2020;45(1):1-9."
    assert citation({**row, "detail": None}) == "Doe J. A study. Spine 2020."


@pytest.mark.parametrize(("folded", "single"), [("a\n  b   c\n", "a b c"), ("one", "one")])
def test_flat_makes_yaml_folding_single_spaces(folded, single):
    assert flat(folded) == single
    assert optional_flat(folded) == single


def test_optional_flat_keeps_absence():
    assert optional_flat(None) is None
    assert optional_flat("") is None


def test_an_evidence_row_takes_design_and_population_from_its_reference():
    cite = Citations({"ref": {"design": "cohort", "population": "adults"}})
    row = {"reference": "ref", "effect": "OR 2", "certainty": "B", "outcome_measured": "fusion"}
    evidence = cite.one(row)
    assert (evidence.design, evidence.population, evidence.extrapolated) == ("cohort", "adults", False)
    assert cite.one({**row, "design": "rct"}).design == "rct"
    assert cite(None) == ()


def test_the_published_table_adds_design_measures_and_citations(model):
    document = published(model.document, model.references)
    rows = [
        row
        for factor in document["factors"]
        for level in factor["levels"]
        for outcome in model.outcomes
        for row in level[outcome].get("evidence", ())
    ]
    assert rows and all(row["design"] and row["population"] for row in rows)
    for reference in document["references"]:
        assert reference["citation"] == citation(reference)
        assert isinstance(reference["measured"], list)
    cited = {row["reference"] for row in rows}
    assert all(r["measured"] for r in document["references"] if r["id"] in cited)


def test_publishing_leaves_the_source_table_alone(model):
    source = {
        "references": [{"id": "r", "authors": "A", "title": "T", "journal": "J", "year": 1}],
        "linkage": {"evidence": []},
        "factors": [],
        "outcomes": [],
        "tiers": [{"id": "low", "min_points": 0, "meaning": "low odds."}],
    }
    document = published(source, {"r": source["references"][0]})
    assert "citation" not in source["references"][0]
    assert source["tiers"][0]["meaning"] == "low odds."
    assert document["tiers"][0]["meaning"] == "0 points or more: low odds."


def test_a_citation_never_doubles_a_full_stop():
    row = {
        "authors": "Yang S, Zhou B, et al.",
        "title": "Does smoking matter?",
        "journal": "Spine",
        "year": 2024,
    }
    assert citation(row) == "Yang S, Zhou B, et al. Does smoking matter? Spine 2024."
    assert all(".." not in reference["citation"] for reference in published_references())


def published_references():
    from service.core import default_model

    return default_model().document["references"]


@pytest.mark.parametrize(
    ("tiers", "said"),
    [
        ([("low", 0), ("moderate", 2), ("high", 5)], ["0–1 points", "2–4 points", "5 points or more"]),
        ([("low", 0), ("moderate", 1), ("high", 2)], ["0 points", "1 point", "2 points or more"]),
        ([("low", 0), ("high", 1)], ["0 points", "1 point or more"]),
    ],
)
def test_tier_ranges_are_said_from_the_lowest_points_of_each_tier(tiers, said):
    assert list(tier_ranges(tiers).values()) == said


def test_each_published_tier_means_its_generated_range_then_the_table_s_words(model):
    ranges = tier_ranges(model.tiers)
    for tier in model.document["tiers"]:
        assert tier["meaning"].startswith(f"{ranges[tier['id']]}: ")
        assert tier["meaning"].count("points") == 1  # the range only: the table's words say none


def test_a_threshold_is_said_in_the_labels_and_changes_from_the_factor_s_own_number(table):
    smoking = next(row for row in table["factors"] if row["id"] == "smoking")
    smoking["thresholds"]["recent_quit_months"] = 3
    said = with_thresholds(table)
    labels = [level["label"] for row in said["factors"] if row["id"] == "smoking" for level in row["levels"]]
    assert "quit less than 3 months ago" in labels
    changes = [row["change"] for row in said["what_if"] if row["factor"] == "smoking"]
    assert any("until 3 months have passed" in change for change in changes)
    assert "{recent_quit_months}" in str(table["factors"])  # the table itself is left as written


def test_a_label_naming_a_threshold_its_factor_lacks_refuses_to_load(table):
    smoking = next(row for row in table["factors"] if row["id"] == "smoking")
    smoking["levels"][1]["label"] = "quit less than {recent_quit_weeks} weeks ago"
    with pytest.raises(ModelError, match="recent_quit_weeks"):
        build_model(table)
