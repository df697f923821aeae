"""Read FHIR elements defensively: an element of the wrong JSON type reads as absent, never a crash.

The published schema types only what it must; everything else in a resource may hold any JSON
value (a list where a string belongs, a number where an object does). These accessors are the
only way the reader looks inside a resource."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

Code = tuple[str, str]  # (system URI, code)


def obj(value: Any) -> Mapping[str, Any]:
    """Return a JSON object, or an empty one for anything else."""
    return value if type(value) is dict else {}


def objs(value: Any) -> list[Mapping[str, Any]]:
    """Return the objects of a JSON array (other items skipped), or none."""
    return [item for item in value if type(item) is dict] if type(value) is list else []


def string(value: Any) -> str | None:
    return value if type(value) is str else None


def number(value: Any) -> float | None:
    """Return a finite JSON number (never a boolean)."""
    if type(value) in (int, float) and math.isfinite(value):
        return value
    return None


def codings(concept: Any) -> list[Code]:
    """Return the (system, code) pairs of a CodeableConcept; a coding without a string code is skipped."""
    found = []
    for coding in objs(obj(concept).get("coding")):
        code = string(coding.get("code"))
        if code:
            found.append((string(coding.get("system")) or "", code))
    return found


def concept_text(concept: Any) -> str:
    """Return a CodeableConcept's text and displays, lower-cased, for word matching."""
    concept = obj(concept)
    parts = [string(concept.get("text")) or ""]
    parts += [string(c.get("display")) or "" for c in objs(concept.get("coding"))]
    return " ".join(parts).lower()


def reference(value: Any) -> str | None:
    """Return a Reference's `reference` string."""
    return string(obj(value).get("reference"))


def moment(value: Any) -> datetime | None:
    """Return a FHIR date or dateTime as naive UTC; a partial date counts from its earliest day.
    Anything unreadable, or outside the years datetime can hold once in UTC, is None."""
    text = string(value)
    if text is None:
        return None
    padded = text + "-01-01"[len(text) - 4 :] if len(text) in (4, 7) else text
    try:
        parsed = datetime.fromisoformat(padded)
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    except (ValueError, OverflowError):
        return None


def day(value: Any) -> date | None:
    found = moment(value)
    return found.date() if found else None


def first_time(resource: Mapping[str, Any], *names: str) -> datetime | None:
    """Return the first readable time among `names`, then the end or start of an effective or
    performed period."""
    candidates = [resource.get(name) for name in names]
    for period in ("effectivePeriod", "performedPeriod"):
        candidates += [obj(resource.get(period)).get("end"), obj(resource.get(period)).get("start")]
    for candidate in candidates:
        found = moment(candidate)
        if found is not None:
            return found
    return None
