"""JSON: any JSON document (an assessment, a batch, the model), encoded by orjson."""

from __future__ import annotations

from typing import Any

import orjson

from .renderer import Renderer

JSON = "application/json"


def encode(document: Any) -> bytes:
    """Encode `document` (deterministic: keys keep their order); bytes are already encoded JSON (a
    batch encoded result by result)."""
    return document if type(document) is bytes else orjson.dumps(document)


AS_JSON = Renderer(JSON, encode)
