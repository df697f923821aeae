"""Building blocks of the wire format: strict fields, open response schemas, field docs."""

from __future__ import annotations

import math
import re
from itertools import islice
from typing import Any, cast

import jsonschema_rs
from jsonschema import Draft202012Validator
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MESSAGE_LENGTH = 200  # characters of a JSON Schema error message quoted back
ERRORS_SHOWN = 5  # JSON Schema errors named in one 4xx answer (the first ones: the rest cost CPU)


class StrictBoolean(fields.Boolean):
    """A JSON true or false, and nothing else (not 1, not "yes")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class StrictInteger(fields.Integer):
    """A JSON integer; an integral number such as 65.0 counts (JSON has one number type)."""

    default_error_messages = fields.Integer.default_error_messages | {"invalid": "Not a valid integer."}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) is int:
            return value
        if type(value) is float and value.is_integer():
            return int(value)
        raise self.make_error("invalid")


class StrictNumber(fields.Float):
    """A finite JSON number (never a string, never a boolean)."""

    default_error_messages = fields.Float.default_error_messages | {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if type(value) in (int, float) and math.isfinite(value):
            return float(value)
        raise self.make_error("invalid")


class Choice(validate.OneOf):
    """One of a named set of values. The contract states the set once, as the component schema `name`,
    and refers to it wherever it is used (a generated client gets one enum class per set, however
    often it is used and whether or not null is allowed beside it). `also` accepts further named
    sets (earlier versions' codes, say), each its own component."""

    def __init__(
        self,
        name: str,
        values,
        *,
        description: str = "",
        deprecated: bool = False,
        also: tuple[Choice, ...] = (),
    ) -> None:
        self.name, self.values = name, tuple(values)
        self.description, self.deprecated = description, deprecated
        self.parts = (self, *also)
        super().__init__([value for part in self.parts for value in part.values])

    def component(self) -> dict[str, Any]:
        """Return this set's own component schema (without the sets of `also`)."""
        return {
            "type": "string",
            "enum": list(self.values),
            **({"description": self.description} if self.description else {}),
            **({"deprecated": True} if self.deprecated else {}),
        }


class Deferred(fields.Raw):
    """A value taken as it is, to be checked on its own later (one batch patient: its own error, never
    the whole call's), and documented as the component schema `documented_as`, which that check applies."""

    def __init__(self, documented_as: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.documented_as = documented_as


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
    """A JSON Schema checked fast, explained lazily: jsonschema-rs decides whether a value is valid
    (microseconds, even for thousands of entries); only an invalid one is walked by jsonschema,
    which stops at its first `limit` errors. No value within the body limits costs more than that."""

    def __init__(self, schema: dict, limit: int) -> None:
        self.fast = jsonschema_rs.validator_for(schema)
        self.slow = Draft202012Validator(schema)
        self.limit = limit

    def errors(self, value) -> list[tuple[list, str, str]]:
        """Return the first errors as (path, keyword, message), in document order; none when valid."""
        if self.fast.is_valid(value):
            return []
        found = islice(self.slow.iter_errors(value), self.limit)
        return [(list(e.absolute_path), str(e.validator), e.message[:MESSAGE_LENGTH]) for e in found]


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


def json_path(path: list) -> str:
    """Return a JSON path as `entry[3].resource.code` (list indexes in brackets)."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def text(description: str, example=None, **kwargs) -> fields.String:
    return fields.String(**doc(description, example), **kwargs)


def array(inner, description: str, **kwargs) -> fields.List:
    return fields.List(inner, **doc(description), **kwargs)


def mapping(description: str, example=None, **kwargs) -> fields.Dict:
    return fields.Dict(keys=fields.String(), **doc(description, example), **kwargs)
