"""Render the model card (docs/model-card.md) from the model table: `make model-card`."""

from __future__ import annotations

from service.core import default_model
from service.pages.card import render_card

__all__ = ["render_card"]

if __name__ == "__main__":
    print(render_card(default_model()), end="")
