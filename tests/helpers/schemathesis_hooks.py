"""schemathesis hooks for this API: JSON Schema counts `18.0` an integer; the API does not (types are
never coerced, so a whole number written with a decimal point is a 422). Generated bodies write
whole numbers as integers, so that a valid case is one the service accepts. Loaded in process by
tests/http/test_schemathesis.py, and over HTTP through SCHEMATHESIS_HOOKS."""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    return _integers(body)


def _integers(value: Any) -> Any:
    if type(value) is float and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    if type(value) is dict:
        return {key: _integers(item) for key, item in value.items()}
    if type(value) is list:
        return [_integers(item) for item in value]
    return value
