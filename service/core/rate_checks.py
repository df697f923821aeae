"""Typical published rates, checked at load: known classes and outcomes, conditions on real inputs,
ranges that are the counted estimates' whole numbers, every shown rate with a definition, a horizon
and identified references, and no patient in two classes or two rates of one outcome."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .typical import BONE_QUALITY, Rate, When, overlap, whole

if TYPE_CHECKING:
    from .table import Model

IDENTIFIERS = ("pmid", "pmc", "doi", "url")
T = TypeVar("T")


def rate_problems(model: Model) -> Iterable[str]:
    typical = model.typical
    if not typical.label or not typical.none or not isinstance(typical.per, int) or typical.per <= 0:
        yield "typical rates need their label, the words for no rate, and how many patients they are `per`"
    ids = [kind.id for kind in typical.classes]
    if len(ids) != len(set(ids)) or not all(kind.label for kind in typical.classes):
        yield "typical-rate classes need unique ids and labels"
    for kind in typical.classes:
        yield from (f"typical-rate class {kind.id}: {p}" for p in _when_problems(kind.when, model))
    for first, second in _pairs(typical.classes):
        if overlap(first.when, second.when):
            yield f"typical-rate classes {first.id} and {second.id} overlap"
    for index, rate in enumerate(typical.rates):
        where = f"typical rate {index} ({', '.join(rate.classes)}, {rate.outcome})"  # rows, by position
        if not rate.classes or not set(rate.classes) <= set(ids) or rate.outcome not in model.outcomes:
            yield f"{where}: unknown class or outcome"
        yield from (f"{where}: {p}" for p in _when_problems(rate.when, model))
        yield from (f"{where}: {p}" for p in _range_problems(rate, model.references, typical.per))
    for (one, rate), (other, rival) in _pairs(list(enumerate(typical.rates))):
        shared = sorted(set(rate.classes) & set(rival.classes))
        if shared and rate.outcome == rival.outcome and overlap(rate.when, rival.when):
            yield f"typical rates {one} and {other} overlap for {shared}, {rate.outcome}"


def _when_problems(when: When, model: Model) -> Iterable[str]:
    """Each condition names an input (or the bone quality) and values it can take."""
    bone_levels = set(model.by_kind["bone"].levels)
    for key, (allowed, bounds) in when:
        row = model.inputs.get(key)
        if key == BONE_QUALITY:
            if allowed is None or not allowed <= bone_levels:
                yield f"{key} must list bone levels"
        elif row is None:
            yield f"unknown input {key!r}"
        elif allowed is not None and not allowed <= _values(row):
            yield f"{key}: values must be the input's (or null)"
        elif bounds is not None and (row["type"] not in ("integer", "number") or bounds[0] > bounds[1]):
            yield f"{key}: a range needs a numeric input and min <= max"


def _values(row: Mapping[str, Any]) -> set[Any]:
    if row["type"] == "boolean":
        return {True, False, None}
    return {*row.get("values", ()), None}


def _range_problems(rate: Rate, references: Mapping[str, Mapping[str, Any]], per: int) -> Iterable[str]:
    """A shown rate: whole numbers 0 <= low <= high <= 100 equal to its counted estimates' extremes,
    a definition, a horizon, identified references; an estimate not counted says why; a rate with
    nothing counted shows nothing."""
    for estimate in (*rate.counted, *rate.not_counted):
        reference = references.get(str(estimate.get("reference")))
        if reference is None or not any(reference.get(key) for key in IDENTIFIERS):
            yield f"estimate {estimate.get('reference')!r}: needs an identified reference"
        value = estimate.get("per_100")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= per:
            yield f"estimate {estimate.get('reference')!r}: needs per_100 between 0 and {per}"
        if not estimate.get("what"):
            yield f"estimate {estimate.get('reference')!r}: needs to say what it is"
    if not rate.counted:
        if any(x is not None for x in (rate.low, rate.high, rate.definition, rate.horizon)):
            yield "with no estimate counted it shows no range, definition or horizon"
        return
    low, high = rate.low, rate.high
    if not (_whole(low) and _whole(high)):
        yield "low and high must be whole numbers"
    elif not 0 <= low <= high <= per:
        yield f"needs 0 <= low <= high <= {per}"
    elif all(_number(e.get("per_100")) for e in rate.counted):
        values = [e["per_100"] for e in rate.counted]
        if (low, high) != (whole(min(values)), whole(max(values))):
            yield f"low and high must be the counted estimates' {whole(min(values))} and {whole(max(values))}"
    if not rate.definition or not rate.horizon:
        yield "a shown rate needs a definition and a horizon"


def _pairs(items: Sequence[T]) -> list[tuple[T, T]]:
    """Every unordered pair of items."""
    return [(first, second) for index, first in enumerate(items) for second in items[index + 1 :]]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
