"""CDS Hooks cards from model 1.2's worked examples: the indicator at the range's highest tier, the
detail with the typical published rate (never a percentage for the patient) and the points change."""

from __future__ import annotations

import pytest

from service.cds.cards import cards
from service.core.typical import rate_words
from tests.helpers.worked import EXAMPLES

INDICATOR = {"low": "info", "moderate": "warning", "high": "critical"}
SOURCE = {"label": "the model", "url": "http://localhost/model"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_worked_examples_as_cards(assessor, name):
    assessment = assessor(EXAMPLES[name].patient)
    found = cards(assessment, "hook-1", SOURCE, assessor.model, INDICATOR)
    blocks = list(assessment["outcomes"].values())
    assert len(found) == 2 + any(not b["determinate"] for b in blocks)  # an unknown-data card if a range
    for card, block in zip(found, blocks, strict=False):
        assert card["indicator"] == INDICATOR[block["risk_range"]["highest"]]
        kind = assessment["operation_class"]
        assert rate_words(block["typical_rate"], assessor.model.typical.none, kind) in card["detail"]
        for what_if in block["what_if"]:
            assert f"{what_if['change']}: {what_if['points_change']}." in card["detail"]


def test_an_indeterminate_outcome_says_both_ends(assessor):
    assessment = assessor(EXAMPLES["3-bone-unknown-woman-66"].patient)
    hardware = cards(assessment, "hook-1", SOURCE, assessor.model, INDICATOR)[1]
    assert hardware["indicator"] == "warning"  # moderate: the highest tier of the range
    assert hardware["detail"].startswith(
        "**Low risk of hardware failure** (1 points). "
        "With the unknown data at its worst: **moderate** (4 points)."
    )
    assert "32 per 100 after posterior or combined lumbar fusion, 1–2 levels" in hardware["detail"]
