"""docs/model-card.md is generated from the model table and kept fresh."""

from __future__ import annotations

from pathlib import Path

from tools.model_card import render_card

CARD = Path(__file__).resolve().parents[2] / "docs" / "model-card.md"


def test_model_card_is_fresh(model):
    assert CARD.read_text(encoding="utf-8") == render_card(model), "run `make model-card`"


def test_model_card_covers_what_it_must(model):
    card = render_card(model)
    for heading in (
        "Intended use",
        "Not intended for",
        "Method",
        "Factors",
        "Known limitations",
        "Version history",
    ):
        assert heading in card
    assert "odds ratio of about 1.5" in card
    for factor in model.factors:
        assert f"| {factor.label} |" in card
    for reference in model.references:
        assert f"**{reference}**" in card
    for limitation in ("Uncalibrated", "observational", "technique"):
        assert limitation in card
