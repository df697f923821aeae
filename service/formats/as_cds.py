"""CDS Hooks 2.0: a service's cards, in the response envelope the specification gives them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from .as_json import JSON
from .renderer import Renderer


def cards_response(cards: Sequence[dict[str, Any]]) -> bytes:
    """Return the CDS Hooks response for `cards` (none: nothing to say about this patient)."""
    return orjson.dumps({"cards": cards})


AS_CDS = Renderer(JSON, cards_response)
