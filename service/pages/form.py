"""The patient form: its fields described from the model table, and its posted text read as the API's JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from service.core import Model

LIST_TYPES = ("symptoms",)  # inputs whose value is a list: one form value per item
SCHEDULE = ("days_since_surgery",)  # read by the symptom review, shown beside the checklist
ASKED_NONE = "[]"  # the posted value of "asked: none": the API's empty list, as text
BOTH_GIVEN = "Give a value or tick unknown, not both."
ONE_VALUE = "Give one value."
NONE_AND_SOME = "Tick the symptoms reported, or that none were, not both."


@dataclass(frozen=True)
class Field:
    """One form control group: the API field it posts, and how to show it."""

    name: str
    type: str  # the table's input type: integer, number, boolean, choice, symptoms
    core: bool
    label: str
    hint: str
    choices: tuple[tuple[str, str], ...] = ()  # a choice's (value as posted, text shown)


@dataclass(frozen=True)
class SymptomGroup:
    """The symptoms of one warning sign, as a checklist."""

    sign: str
    label: str
    symptoms: tuple[tuple[str, str, str], ...]  # (code, clinical label, the patient's words)


@dataclass
class Posted:
    """A posted form read as the API's JSON body, with what could not be read as one."""

    body: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def fields_of(model: Model) -> tuple[Field, ...]:
    """Return a form field for every input of the model, in the table's order (symptoms aside)."""
    return tuple(
        Field(
            name=name,
            type=row["type"],
            core=bool(row.get("core")),
            label=str(row["description"]),
            hint=_hint(row),
            choices=tuple((str(v), str(v)) for v in row.get("values", ())),
        )
        for name, row in model.inputs.items()
        if row["type"] not in LIST_TYPES
    )


def _hint(row: Mapping[str, Any]) -> str:
    if "min" not in row:
        return ""
    unit = f" {row['unit']}" if row.get("unit") else ""
    return f"{row['min']:g} to {row['max']:g}{unit}".replace("-", "\u2212")


def symptom_groups(model: Model) -> tuple[SymptomGroup, ...]:
    """Return the symptom checklist grouped by warning sign, in the table's order."""
    signs = model.document["symptom_review"]["signs"]
    return tuple(
        SymptomGroup(
            sign,
            label,
            tuple((s.code, s.label, s.patient_label) for s in model.symptoms.values() if s.sign == sign),
        )
        for sign, label in signs.items()
    )


def read_posted(form: Mapping[str, list[str]], model: Model, ignored: Iterable[str] = ()) -> Posted:
    """Read a posted form ({name: [texts]}) as the API's body: each text is read as a JSON value
    (`true`, `70`, `null`), or kept as a string (`current`); empty texts are not given. Only what
    the form's encoding cannot say (two values for one field, a list both empty and not) is an
    error here: everything else is the API loader's to judge."""
    posted = Posted()
    lists = {name for name, row in model.inputs.items() if row["type"] in LIST_TYPES}
    for name, texts in form.items():
        if name in ignored:
            continue
        values = [_value(text) for text in texts if text.strip()]
        if name in lists:
            items = [value for value in values if value != ASKED_NONE]
            if ASKED_NONE in values and items:
                posted.errors[name] = [NONE_AND_SOME]
            elif ASKED_NONE in values or items:  # asked (none, or these); else not asked
                posted.body[name] = items
        elif len(values) == 1:
            posted.body[name] = values[0]
        elif values:
            posted.errors[name] = [BOTH_GIVEN if None in values else ONE_VALUE]
    return posted


def _value(text: str) -> Any:
    """Read a form text as the JSON value it spells, else as a string (orjson refuses NaN)."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    return value if value is None or isinstance(value, (bool, int, float, str)) else text


def field_errors(
    errors: Mapping[str, list[str]], known: Iterable[str]
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Split a 422's `errors` into those shown beside a form field (`symptoms.0` beside `symptoms`)
    and the rest, shown at the top as (name, message)."""
    names = set(known)
    beside: dict[str, list[str]] = {}
    rest: list[tuple[str, str]] = []
    for path, messages in errors.items():
        name = path.split(".")[0]
        if name in names:
            beside.setdefault(name, []).extend(messages)
        else:
            rest.extend((path, message) for message in messages)
    return beside, rest
