"""A patient body written as text (a web form's fields, a CSV's cells): each text read as the JSON
value it spells, so the API's own loader judges it exactly as it judges a JSON body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

LIST_TYPES = ("symptoms",)  # inputs whose value is a list: one form value, or one `;`-separated item, each
LIST_SEPARATOR = ";"


def json_value(text: str) -> Any:
    """Read a text as the JSON value it spells (`true`, `70`, `null`), else as a string (`current`);
    a JSON array or object stays a string (orjson refuses NaN: it stays a string too)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    return value if value is None or isinstance(value, (bool, int, float, str)) else text


def cell_value(text: str | None, listed: bool = False) -> Any:
    """Read one cell of a table written as text: empty is null (unknown, or not provided); a list
    input's cell holds its items separated by `;`, each read as a form's value would be."""
    if text is None or not text.strip():
        return None
    if listed:
        return [json_value(item.strip()) for item in text.split(LIST_SEPARATOR) if item.strip()]
    return json_value(text.strip())


def list_inputs(inputs: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """Return the names of the inputs whose value is a list."""
    return frozenset(name for name, row in inputs.items() if row["type"] in LIST_TYPES)
