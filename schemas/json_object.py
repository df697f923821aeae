"""The JSON every body and fetched resource must be: one object, strictly parsed (no NaN, no
Infinity, no overflow, valid UTF-8), nesting at most a given depth. A plain error says why; the
HTTP layer answers it as a 400, the CDS fetcher as a malformed resource."""

from __future__ import annotations

from typing import Any

import orjson


class NotAJsonObject(ValueError):
    """The bytes are not one JSON object within the nesting limit."""


def json_object(body: bytes, depth: int) -> dict[str, Any]:
    """Parse `body` as a JSON object nesting at most `depth` levels, or raise NotAJsonObject."""
    try:
        data = orjson.loads(body)  # rejects NaN, Infinity, overflow, invalid UTF-8
    except orjson.JSONDecodeError as error:
        raise NotAJsonObject(f"The body is not valid JSON: {error.msg}.") from None
    if type(data) is not dict:
        raise NotAJsonObject("The body must be a JSON object.")
    if nesting_exceeds(data, depth):
        raise NotAJsonObject(f"The body nests deeper than {depth} levels.")
    return data


def nesting_exceeds(data: Any, limit: int) -> bool:
    """Tell whether objects and arrays nest deeper than `limit` (the body itself is level 1)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if type(node) is dict else node:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False
