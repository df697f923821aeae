"""Building blocks of the wire format: strict fields, open response schemas, field docs."""

from __future__ import annotations

import math
from typing import ClassVar

from jsonschema import Draft202012Validator
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


class StrictBoolean(fields.Boolean):
    """A JSON true or false, and nothing else (not 1, not "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class StrictInteger(fields.Integer):
    """A JSON integer; an integral number such as 65.0 counts (JSON has one number type)."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Not a valid integer."}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is int:
            return value
        if type(value) is float and value.is_integer():
            return int(value)
        raise self.make_error("invalid")


class StrictNumber(fields.Float):
    """A finite JSON number (never a string, never a boolean)."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) in (int, float) and math.isfinite(value):
            return float(value)
        raise self.make_error("invalid")


def doc(description: str, example) -> dict:
    """Return the field keywords documenting it in the contract: a description and an example."""
    return {"metadata": {"description": description, "example": example}}


class OpenSchema(Schema):
    """A response schema: open, so a field added later never breaks an older client."""

    class Meta:
        unknown = EXCLUDE


class MatchesJsonSchema(validate.Validator):
    """Validate a raw JSON value against a JSON Schema (the one the contract publishes)."""

    def __init__(self, schema: dict) -> None:
        self.validator = Draft202012Validator(schema)

    def __call__(self, value):
        errors = sorted(self.validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            raise ValidationError([_located(error) for error in errors[:5]])
        return value


def _located(error) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{path.lstrip('.') or '(value)'}: {error.message[:160]}"
