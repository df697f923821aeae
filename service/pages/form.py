"""The patient form: its fields described from the model table, and its posted text read as the API's JSON."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas.text_values import LIST_TYPES, json_value, list_inputs
from service.config import contact
from service.core import Model
from service.core.wording import MINUS, measured

from .words import Words

SCHEDULE = ("days_since_surgery",)  # read by the symptom review, shown beside the checklist
ASKED_NONE = "[]"  # the posted value of "asked: none": the API's empty list, as text
BOTH_GIVEN = "Give a value or tick unknown, not both."
ONE_VALUE = "Give one value."
NONE_AND_SOME = "Tick the symptoms reported, or that none were, not both."
NUMBER_TYPES = ("integer", "number")
# The handout's contacts: fields of the page alone, each with the setting that fills it by default.
# Printed on the handout; never in the API's body, never stored, never logged.
PAGE_ONLY = {"team_phone": "CLINIC_TEAM_PHONE", "out_of_hours": "CLINIC_OUT_OF_HOURS"}
# A decimal comma ("31,5"), read as a point in a number field; a comma before exactly three
# digits ("1,200") could be a thousands separator, so it is left for the loader to refuse.
DECIMAL_COMMA = re.compile(r"[+-]?\d+,(?:\d{1,2}|\d{4,})")


@dataclass(frozen=True)
class Field:
    """One form control group: the API field it posts, and how to show it."""

    name: str
    type: str  # the table's input type: integer, number, boolean, choice, symptoms
    core: bool
    label: str
    hint: str  # a refinement's description in the table, where its label says less; the bounds
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
    page: dict[str, str] = field(default_factory=dict)  # the page-only fields posted


def fields_of(model: Model, words: Words) -> tuple[Field, ...]:
    """Return a form field for every input of the model, in the table's order (symptoms aside)."""
    return tuple(
        Field(
            name=name,
            type=row["type"],
            core=bool(row.get("core")),
            label=words.labels[name],
            hint=_hint(row, words.labels[name]),
            choices=tuple((str(v), str(v)) for v in row.get("values", ())),
        )
        for name, row in model.inputs.items()
        if row["type"] not in LIST_TYPES
    )


def _hint(row: Mapping[str, Any], label: str) -> str:
    described = not row.get("core") and label != row["description"].removesuffix(".")
    parts = [row["description"]] if described else []
    if "min" in row:
        unit = f" {row['unit']}" if row.get("unit") else ""
        parts.append(f"{measured(row['min'])} to {measured(row['max'])}{unit}")
    return " ".join(parts)


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
    error here: everything else is the API loader's to judge. The page-only fields are kept apart."""
    posted = Posted()
    lists = list_inputs(model.inputs)
    numbers = {name for name, row in model.inputs.items() if row["type"] in NUMBER_TYPES}
    integers = {name for name, row in model.inputs.items() if row["type"] == "integer"}
    for name, texts in form.items():
        if name in ignored:
            continue
        if name in PAGE_ONLY:
            _page_only(posted, name, texts)
            continue
        values = [json_value(_number(text) if name in numbers else text) for text in texts if text.strip()]
        if name in integers:  # a person's "70,0" is 70 (the API, strict, refuses a JSON 70.0)
            values = [int(v) if type(v) is float and v.is_integer() else v for v in values]
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


def _page_only(posted: Posted, name: str, texts: list[str]) -> None:
    if len(texts) > 1:
        posted.errors[name] = [ONE_VALUE]
        return
    try:
        posted.page[name] = contact(texts[0])
    except ValueError as error:
        posted.errors[name] = [f"This {error}."]


def _number(text: str) -> str:
    """A number as a person may type it, as JSON spells it: a true minus sign ("−2.5", as the form
    shows bounds) and a decimal comma ("31,5"). Only the form reads these: the API stays strict."""
    text = text.strip().replace(MINUS, "-")
    return text.replace(",", ".") if DECIMAL_COMMA.fullmatch(text) else text


def field_errors(
    errors: Mapping[str, list[str]], order: Iterable[str]
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Split a 422's `errors` into those shown beside a form field (`symptoms.0` beside `symptoms`),
    in the form's `order` of its fields, and the rest, shown at the top as (name, message)."""
    fields = list(order)
    beside: dict[str, list[str]] = {}
    rest: list[tuple[str, str]] = []
    for path, messages in errors.items():
        name = path.split(".")[0]
        if name in fields:
            beside.setdefault(name, []).extend(m for m in messages if m not in beside.get(name, []))
        else:
            rest.extend((path, message) for message in messages)
    return dict(sorted(beside.items(), key=lambda item: fields.index(item[0]))), rest
