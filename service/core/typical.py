"""Typical published rates for a kind of operation: the class a patient's inputs put them in, and
per outcome the published range shown beside the tier (never the patient's probability)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

BONE_QUALITY = "bone_quality"  # a condition on the bone factor's level, unknowns at their worst

Test = tuple[frozenset[Any] | None, tuple[float, float] | None]  # (values, None) or (None, (min, max))
When = tuple[tuple[str, Test], ...]


@dataclass(frozen=True, slots=True)
class RateClass:
    id: str
    label: str
    when: When


@dataclass(frozen=True, slots=True)
class Rate:
    """One outcome's rate row for some classes: its block (None: no estimate counted)."""

    classes: tuple[str, ...]
    outcome: str
    when: When  # a condition within the class (bone quality, rods)
    counted: tuple[Mapping[str, Any], ...]
    not_counted: tuple[Mapping[str, Any], ...]
    low: Any
    high: Any
    definition: str | None
    horizon: str | None
    references: tuple[str, ...]  # of the counted estimates, in order, once each


@dataclass(frozen=True)
class TypicalRates:
    label: str
    none: str  # what is said where no rate is shown
    per: int
    classes: tuple[RateClass, ...]
    named: Mapping[str, dict[str, str]]  # class id -> {id, label}, as an assessment names it (shared)
    rates: tuple[Rate, ...]
    blocks: Mapping[tuple[str, int], dict[str, Any] | None]  # (class, rate index) -> response block (shared)
    by_class: Mapping[tuple[str, str], tuple[int, ...]]  # (class, outcome) -> its rate rows

    def classify(self, patient: Mapping[str, Any]) -> RateClass | None:
        """Return the class the patient's inputs put them in (classes never overlap), if any."""
        return next((c for c in self.classes if matches(c.when, patient)), None)

    def block(
        self, rate_class: RateClass | None, outcome: str, patient: Mapping[str, Any], bone: str
    ) -> dict[str, Any] | None:
        """Return the response block of an outcome for a class (shared: read-only), or None.
        `bone` is the bone factor's level for this outcome with unknowns at their worst."""
        if rate_class is None:
            return None
        for index in self.by_class.get((rate_class.id, outcome), ()):
            rate = self.rates[index]
            if not rate.when or matches(rate.when, {**patient, BONE_QUALITY: bone}):
                return self.blocks[rate_class.id, index]
        return None


def matches(when: When, values: Mapping[str, Any]) -> bool:
    """Tell whether values meet every condition: a value in the set (None: not given), or a given
    number within [min, max]."""
    for key, (allowed, bounds) in when:
        value = values.get(key)
        if allowed is not None:
            if value not in allowed:
                return False
        elif bounds is None or value is None or not bounds[0] <= value <= bounds[1]:
            return False
    return True


def overlap(first: When, second: When) -> bool:
    """Tell whether some values could meet both conditions (an input only one names is free)."""
    tests = dict(first)
    for key, (allowed, bounds) in second:
        if key not in tests:
            continue
        other_allowed, other_bounds = tests[key]
        if allowed is not None and other_allowed is not None and not allowed & other_allowed:
            return False
        if (
            bounds is not None
            and other_bounds is not None
            and (bounds[1] < other_bounds[0] or other_bounds[1] < bounds[0])
        ):
            return False
    return True


def compile_when(row: Mapping[str, Any] | None) -> When:
    """Return a `when` mapping as tests: a list becomes a set, {min, max} a closed range."""
    tests: list[tuple[str, Test]] = []
    for key, condition in (row or {}).items():
        if isinstance(condition, Mapping):
            low, high = condition.get("min", float("-inf")), condition.get("max", float("inf"))
            tests.append((key, (None, (low, high))))
        else:
            tests.append((key, (frozenset(condition), None)))
    return tuple(tests)


def load_typical(doc: Mapping[str, Any]) -> TypicalRates:
    """Read the table's `typical_rates` section, building each response block once."""
    classes = tuple(RateClass(c["id"], c["label"], compile_when(c["when"])) for c in doc["classes"])
    rates = tuple(_rate(row) for row in doc["rates"])
    labels = {c.id: c.label for c in classes}
    blocks: dict[tuple[str, int], dict[str, Any] | None] = {}
    by_class: dict[tuple[str, str], list[int]] = {}
    for index, rate in enumerate(rates):
        for class_id in rate.classes:
            by_class.setdefault((class_id, rate.outcome), []).append(index)
            blocks[class_id, index] = (
                {
                    "class": {"id": class_id, "label": labels.get(class_id, class_id)},
                    "low": rate.low,
                    "high": rate.high,
                    "per": doc["per"],
                    "definition": rate.definition,
                    "horizon": rate.horizon,
                    "references": list(rate.references),
                    "label": doc["label"],
                }
                if rate.counted
                else None
            )
    return TypicalRates(
        label=doc["label"],
        none=doc["none"],
        per=doc["per"],
        classes=classes,
        named=MappingProxyType({c.id: {"id": c.id, "label": c.label} for c in classes}),
        rates=rates,
        blocks=MappingProxyType(blocks),
        by_class=MappingProxyType({key: tuple(value) for key, value in by_class.items()}),
    )


def _rate(row: Mapping[str, Any]) -> Rate:
    estimates = tuple(row.get("estimates", ()))
    counted = tuple(e for e in estimates if not e.get("not_counted"))
    return Rate(
        classes=tuple(row["classes"]),
        outcome=row["outcome"],
        when=compile_when(row.get("when")),
        counted=counted,
        not_counted=tuple(e for e in estimates if e.get("not_counted")),
        low=row.get("low"),
        high=row.get("high"),
        definition=row.get("definition"),
        horizon=row.get("horizon"),
        references=tuple(dict.fromkeys(e["reference"] for e in counted)),
    )


def rate_words(block: Mapping[str, Any] | None, none: str, kind: Mapping[str, Any] | None = None) -> str:
    """A typical rate as one sentence for FHIR notes, CDS cards and pages: its label, the range per
    `per` patients after the kind of operation, what was counted, when, and the studies counted;
    without a rate, `none` (naming the kind of operation, when the inputs name one). Never a
    percentage for the patient."""
    if block is None:
        said = f"{none[0].upper()}{none[1:]}"
        return f"{said} ({kind['label']})." if kind else f"{said}."
    span, kind = range_text(block["low"], block["high"]), block["class"]["label"]
    counted = f"{block['definition']}; {block['horizon']}; {', '.join(block['references'])}"
    return f"{block['label']}: {span} per {block['per']} after {kind} ({counted})."


def whole(value: float) -> int:
    """A rate as a whole number per 100: halves to even (17.5 -> 18, 22.5 -> 22)."""
    return round(value)


def range_text(low: int, high: int) -> str:
    """A range in words: "3–10", or "18" when both ends agree."""
    return str(low) if low == high else f"{low}–{high}"
