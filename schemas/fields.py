"""Building blocks of the wire format: strict fields, open response schemas, field docs."""

from __future__ import annotations

import math
import re
from typing import Any, cast

import jsonschema_rs
from jsonschema import Draft202012Validator
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MESSAGE_LENGTH = 200  # characters of a JSON Schema error message quoted back
PARSED_AS_FLOAT = 2**63  # orjson reads a JSON integer this large (or larger) as a float
ERRORS_SHOWN = 5  # JSON Schema errors named in one 4xx answer (the first ones: the rest cost CPU)


class StrictBoolean(fields.Boolean):
    """A JSON true or false, and nothing else (not 1, not "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class StrictInteger(fields.Integer):
    """A JSON integer, written as one: `65.0` is refused (types are never coerced), as are booleans."""

    default_error_messages = fields.Integer.default_error_messages | {
        "invalid": "Not a valid integer.",
        "decimal": "Not a valid integer: write it without a decimal point (70, not 70.0).",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is int:
            return value
        if type(value) is float and value.is_integer() and abs(value) >= PARSED_AS_FLOAT:
            return int(value)  # the parser gives a float even for `1000…0`: the range refuses it
        raise self.make_error("decimal" if type(value) is float else "invalid")


class StrictNumber(fields.Float):
    """A finite JSON number (never a string, never a boolean)."""

    default_error_messages = fields.Float.default_error_messages | {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) in (int, float) and math.isfinite(value):
            return float(value)
        raise self.make_error("invalid")


def doc(description: str, example: Any = None) -> dict:
    """Return the field keywords documenting it in the contract: a description and an example."""
    metadata = {"description": description}
    if example is not None:
        metadata["example"] = example
    return {"metadata": metadata}


class FullMatch(validate.Regexp):
    """A regular expression the whole value must match: `$` alone also accepts a trailing newline
    in Python. The pattern, written with ^ and $, is published as is (ECMAScript reads it the same)."""

    def __call__(self, value):
        if type(value) is not str or cast("re.Pattern[str]", self.regex).fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class OpenSchema(Schema):
    """A response schema: open, so a field added later never breaks an older client."""

    class Meta:
        unknown = EXCLUDE


class JsonSchemaCheck:
    """A JSON Schema checked in compiled code and explained within bounds.

    jsonschema-rs decides whether a value is valid (microseconds, even for thousands of entries) and
    names its first error (it stops there). Further errors, up to `limit`, come from jsonschema run
    over a prefix of the value (each array's first PREFIX items): a walk over the whole value
    reached a document-wide error only after every element (a Bundle without a Patient: seconds of
    CPU for 2 MB), and listing every error could mean 300,000 of them. Errors that only the whole of
    an array decides (`contains`) come from the first error alone."""

    def __init__(self, schema: dict, limit: int) -> None:
        self.fast = jsonschema_rs.validator_for(schema)
        self.slow = Draft202012Validator(schema)
        self.limit = limit

    def errors(self, value) -> list[tuple[list, str, str]]:
        """Return the first errors as (path, keyword, message); none when valid."""
        if self.fast.is_valid(value):
            return []
        found = self._first(value)
        for more in self.slow.iter_errors(prefix(value)):
            if len(found) >= self.limit:
                break
            path, keyword = list(more.absolute_path), str(more.validator)
            if keyword not in WHOLE_ARRAY and all((path, keyword) != (p, k) for p, k, _ in found):
                found.append((path, keyword, _message(more.message)))
        return found

    def _first(self, value) -> list[tuple[list, str, str]]:
        """The first error, named by the compiled validator: over the value with the arrays below
        its top level cut (a Bundle's entries whole, each entry's arrays cut), since the error
        carries the value back into Python (all of 2 MB took longer than the validation); over the
        whole value only when the error lies past the cut."""
        for candidate in (prefix(value, whole=WHOLE_BELOW_TOP), value):
            try:
                self.fast.validate(candidate)
            except jsonschema_rs.ValidationError as error:
                return [(list(error.instance_path), str(error.schema_path[-1]), _message(error.message))]
        return []


PREFIX = 20  # items of each array that the explanation reads
WHOLE_BELOW_TOP = 2  # the arrays of the value's top level (a Bundle's entries) are kept whole
WHOLE_ARRAY = frozenset({"contains", "minContains", "maxContains", "maxItems", "uniqueItems"})


def prefix(value: Any, whole: int = 0) -> Any:
    """Return `value` with each array cut to its first PREFIX items, but for the arrays fewer than
    `whole` levels down (the value itself is level 0): only what is kept is copied."""
    if type(value) is list:
        return [prefix(item, whole - 1) for item in (value if whole > 0 else value[:PREFIX])]
    if type(value) is dict:
        return {key: prefix(item, whole - 1) for key, item in value.items()}
    return value


class MatchesJsonSchema(validate.Validator):
    """Validate a raw JSON value against a JSON Schema (the one the contract publishes)."""

    def __init__(self, schema: dict) -> None:
        self.check = JsonSchemaCheck(schema, limit=ERRORS_SHOWN)

    def __call__(self, value):
        errors = self.check.errors(value)
        if errors:
            raise ValidationError(
                [f"{json_path(path) or '(value)'}: {message}" for path, _, message in errors]
            )
        return value


def _message(message: str) -> str:
    """An error's message, at most MESSAGE_LENGTH characters of it (it may quote the value)."""
    return message[:MESSAGE_LENGTH]


def json_path(path: list) -> str:
    """Return a JSON path as `entry[3].resource.code` (list indexes in brackets)."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def text(description: str, example=None, **kwargs) -> fields.String:
    return fields.String(**doc(description, example), **kwargs)


def array(inner, description: str, **kwargs) -> fields.List:
    return fields.List(inner, **doc(description), **kwargs)


def mapping(description: str, example=None, **kwargs) -> fields.Dict:
    return fields.Dict(keys=fields.String(), **doc(description, example), **kwargs)
