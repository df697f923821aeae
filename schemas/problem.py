"""The RFC 9457 problem document every error is dumped through, and a failed load's messages as its
`errors` (the population commands report a rejected row with the same messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from .symptom_review import SymptomReviewSchema


class ProblemSchema(Schema):
    class Meta:
        unknown = EXCLUDE
        description = "An error, as an RFC 9457 problem document (application/problem+json)."

    type = fields.String(
        required=True,
        metadata={
            "description": "URI reference naming the problem type; `about:blank` when the status says all.",
            "example": "/problems/validation-error",
        },
    )
    title = fields.String(
        required=True,
        metadata={"description": "A short, fixed summary of the problem type.", "example": "Invalid input"},
    )
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(
        required=True,
        metadata={
            "description": "What went wrong with this request, in plain language.",
            "example": "One or more fields are missing, unknown, of the wrong type or out of range.",
        },
    )
    instance = fields.String(
        required=True,
        metadata={"description": "The path of the request that failed.", "example": "/v1/assessments"},
    )
    request_id = fields.String(
        required=True,
        metadata={
            "description": "The request id, also sent as X-Request-ID; quote it when reporting a problem.",
            "example": "5f0c6d3e9b8a4f6f8f0e2a1b3c4d5e6f",
        },
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Validation failures: each offending field (dotted path) with its messages.",
            "example": {"age": ["Not a valid integer."], "height": ["Unknown field."]},
        },
    )
    symptom_review = fields.Nested(
        SymptomReviewSchema,
        metadata={
            "description": "RFC 9457 extension member of a refused patient (422, and each refused patient "
            "of a batch): the review of the symptoms the body still states, so that red flags are never "
            "dropped with an invalid body (an under-18 patient gets no tiers, but their symptoms are "
            "reviewed). Present when `symptoms` was sent as a list and no error concerns `symptoms` or "
            "`days_since_surgery`; act on its `urgency` even though the patient was not scored."
        },
    )


def validation_errors(error: ValidationError) -> dict[str, list[str]]:
    """Return a failed load's messages as {"dotted.path": [messages]}, sorted by path: marshmallow
    finds unknown fields through a set, whose order differs from one process to the next."""
    messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
    return dict(sorted(flatten_errors(messages).items()))


def flatten_errors(messages: Mapping[Any, Any], prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow's nested messages to {"dotted.path": [messages]}."""
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten_errors(value, path))
        else:
            flat[path] = [str(m) for m in value] if isinstance(value, list) else [str(value)]
    return flat
