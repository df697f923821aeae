"""A fast path for loading request bodies, compiled from a marshmallow schema's own fields.

It accepts only values it can prove the schema accepts, and returns exactly what the schema's
`load` returns; for anything else (an unknown field, a wrong type, a value out of range, a
cross-field conflict) it hands the body to the schema, which raises the usual errors. One
source of truth: the checks are read off the schema's fields and validators at start-up, and a
field of a kind it cannot compile makes the schema refuse to build a loader (a test builds it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, validate

from .fields import StrictBoolean, StrictInteger, StrictNumber

_MISS = object()  # "not provably valid: let the schema decide"
Check = Callable[[Any], Any]  # value -> loaded value, or _MISS


class UnsupportedSchema(TypeError):
    """The schema has a field, validator or hook the fast path cannot reproduce."""


class FastLoader:
    """`load(data)`: the schema's result, computed without marshmallow when provably valid."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.cross_field = _cross_field(schema)  # the schema's own cross-field rule, as a function
        self.checks: dict[str, tuple[str, Check]] = {}
        for name, field in schema.load_fields.items():
            self.checks[field.data_key or name] = (name, _compile(field))
        self.required = frozenset(f.data_key or n for n, f in schema.load_fields.items() if f.required)

    def load(self, data: Any) -> dict[str, Any]:
        loaded = self.fast(data)
        return self.schema.load(data) if loaded is None else loaded

    def fast(self, data: Any) -> dict[str, Any] | None:
        """Return the loaded body, or None when the schema itself must decide."""
        if type(data) is not dict or not self.required <= data.keys():
            return None
        loaded = {}
        checks = self.checks
        for key, value in data.items():
            check = checks.get(key)
            if check is None:
                return None
            result = check[1](value)
            if result is _MISS:
                return None
            loaded[check[0]] = result
        return None if self.cross_field(loaded) else loaded


def _cross_field(schema: Schema) -> Callable[[dict], dict]:
    """Return the function the schema's one hook is computed by; refuse any hook without one (a
    `@validates`, a `@post_load`...): the fast path would disagree with the schema."""
    rules = []
    for tag, hooks in schema._hooks.items():
        for name, *_ in hooks:
            rule = getattr(getattr(schema, name), "fast_equivalent", None)
            if tag != "validates_schema" or rule is None:
                raise UnsupportedSchema(f"no fast equivalent for the {tag} hook {name}")
            rules.append(rule)
    if len(rules) > 1:
        raise UnsupportedSchema("more than one cross-field hook")
    return rules[0] if rules else _no_cross_field_rule


def _no_cross_field_rule(data: dict) -> dict:
    return {}


def _compile(field: fields.Field) -> Check:
    """Return a check equivalent to the field's deserialization and validators."""
    low, high, choices, longest = _bounds(field)
    if isinstance(field, StrictBoolean):
        base = _boolean
    elif isinstance(field, StrictInteger):
        base = _integer
    elif isinstance(field, StrictNumber):
        base = _number
    elif type(field) is fields.String:
        base = _string
    elif type(field) is fields.List:
        return _list(field, longest)
    else:
        raise UnsupportedSchema(f"no fast check for {type(field).__name__}")

    def check(value: Any) -> Any:
        if value is None:
            return None if field.allow_none else _MISS
        loaded = base(value)
        if loaded is _MISS or (low is not None and not low <= loaded <= high):
            return _MISS
        return _MISS if choices is not None and loaded not in choices else loaded

    return check


def _bounds(field: fields.Field) -> tuple[Any, Any, frozenset | None, int | None]:
    low = high = choices = longest = None
    for validator in field.validators:
        if (
            isinstance(validator, validate.Range)
            and None not in (validator.min, validator.max)
            and validator.min_inclusive
            and validator.max_inclusive
        ):
            low, high = validator.min, validator.max
        elif isinstance(validator, validate.OneOf):
            choices = frozenset(validator.choices)
        elif isinstance(validator, validate.Length) and validator.min is None and validator.equal is None:
            longest = validator.max
        else:
            raise UnsupportedSchema(f"no fast check for {type(validator).__name__}")
    return low, high, choices, longest


def _list(field: fields.List, longest: int | None) -> Check:
    inner = _compile(field.inner)

    def check(value: Any) -> Any:
        if value is None:
            return None if field.allow_none else _MISS
        if type(value) is not list or (longest is not None and len(value) > longest):
            return _MISS
        loaded = [inner(item) for item in value]
        return _MISS if _MISS in loaded else loaded

    return check


def _boolean(value: Any) -> Any:
    return value if value is True or value is False else _MISS


def _integer(value: Any) -> Any:
    return value if type(value) is int else _MISS


def _number(value: Any) -> Any:
    return float(value) if type(value) in (int, float) and math.isfinite(value) else _MISS


def _string(value: Any) -> Any:
    return value if type(value) is str else _MISS
