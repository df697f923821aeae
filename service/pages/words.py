"""The form's words (form.yaml): labels in the clinician's words, the loader's errors said for people."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, validate

from service.core import Model
from service.core.wording import measured

WORDING = Path(__file__).with_name("form.yaml")
REQUIRED, INVALID = "required", "invalid"  # the two kinds of loader error the form words
LIST_ITEM = re.compile(r"^(\w+)\.\d+$")  # `symptoms.2`: an item of a list input


@cache
def wording() -> Mapping[str, Any]:
    """Return the form's wording (read once: it is part of the release, like the table)."""
    return yaml.safe_load(WORDING.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """One model's form words: each input's label and noun, and the messages for its errors."""

    labels: Mapping[str, str]
    nouns: Mapping[str, str]
    messages: Mapping[str, Mapping[str, str]]  # input -> {kind: message for people}
    kinds: Mapping[str, Mapping[str, str]]  # input -> {the loader's message: kind}

    def said(self, errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
        """Return a 422's `errors` said for people: a message the validation library wrote, in the
        form's words for the input's type; the service's own (a rule across fields, adults only),
        with the API names it holds said as the form says them. Other paths are kept as they are."""
        said = {}
        for path, texts in errors.items():
            item = LIST_ITEM.match(path)
            name = item[1] if item else path
            if name not in self.labels:
                said[path] = texts
                continue
            kinds, messages = self.kinds[name], self.messages[name]
            said[path] = list(dict.fromkeys(messages.get(kinds.get(t, ""), self.renamed(t)) for t in texts))
        return said

    def renamed(self, text: str) -> str:
        """Say the API names a message holds (`height_cm`) as the form does (the height)."""
        names = "|".join(sorted(map(re.escape, self.nouns), key=len, reverse=True))
        return re.sub(rf"\b({names})\b", lambda m: self.nouns[m[1]], text)


_WORDS: dict[tuple[str, str], Words] = {}


def words_of(model: Model, schema: Schema) -> Words:
    """Return the form words of `model`, whose inputs `schema` loads (built once per model)."""
    key = (model.id, model.version)
    if key not in _WORDS:
        _WORDS[key] = _build(model, schema, wording())
    return _WORDS[key]


def _build(model: Model, schema: Schema, words: Mapping[str, Any]) -> Words:
    labels, nouns, messages, kinds = {}, {}, {}, {}
    for name, row in model.inputs.items():
        labels[name], nouns[name], messages[name] = _input_words(model, name, row, words)
        kinds[name] = library_messages(schema.fields[name])
    return Words(labels, nouns, messages, kinds)


def _input_words(
    model: Model, name: str, row: Mapping[str, Any], words: Mapping[str, Any]
) -> tuple[str, str, dict[str, str]]:
    """One input's label, noun and messages by kind (a KeyError names a value the table lacks)."""
    values = _values(model, row)
    label = (words["labels"].get(name) or str(row["description"]).removesuffix(".")).format(**values)
    noun = words["nouns"].get(name) or f"the {lower_first(label)}"
    messages = {
        kind: texts[row["type"]].format(noun=noun, **values)
        for kind, texts in words["errors"].items()
        if row["type"] in texts
    }
    return label, noun, messages


def _values(model: Model, row: Mapping[str, Any]) -> dict[str, str]:
    """The table's numbers a label or message may say: the factors' thresholds, the input's bounds."""
    thresholds = {key: v for f in model.factors for key, v in f.params.get("thresholds", {}).items()}
    own = {key: row[key] for key in ("min", "max", "example") if key in row}
    return {
        **{key: measured(value) for key, value in {**thresholds, **own}.items()},
        "unit": str(row.get("unit", "")),
    }


def lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word has capitals of its own (BMI, HbA1c)."""
    first = text.split(" ", 1)[0]
    return text if any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


def library_messages(field: fields.Field) -> dict[str, str]:
    """Return each message the validation library writes for `field` (its own, its validators', its
    items'), with its kind: a missing answer is `required`, anything else `invalid`."""
    found = {
        str(text): REQUIRED if kind == REQUIRED else INVALID for kind, text in field.error_messages.items()
    }
    for validator in field.validators:
        found.update(dict.fromkeys(_defaults(validator), INVALID))
    if isinstance(field, fields.List):
        found.update({text: INVALID for text in library_messages(field.inner) if text not in found})
    return found


def _defaults(validator: Any) -> list[str]:
    """The library's own messages for a validator like this one (built plain, then tried)."""
    if isinstance(validator, validate.Range):
        plain: Any = validate.Range(validator.min, validator.max)
        tries = [validator.min - 1, validator.max + 1]
    elif isinstance(validator, validate.OneOf):
        plain, tries = validate.OneOf(validator.choices), [object()]
    elif isinstance(validator, validate.Length) and validator.max is not None:
        plain, tries = validate.Length(max=validator.max), [range(validator.max + 1)]
    else:
        return []
    return [_raised(plain, value) for value in tries]


def _raised(validator: Any, value: Any) -> str:
    try:
        validator(value)
    except ValidationError as error:
        return str(error.messages[0])
    raise AssertionError(f"{validator!r} accepted {value!r}")


# The inputs the operation line reads (by name: the line says each in its own way).
OPERATION = ("region", "levels_fused", "approach", "fusion_to_sacrum_or_pelvis", "three_column_osteotomy")
RODS = "rods_across_osteotomy"


def operation(patient: Mapping[str, Any], words: Mapping[str, Any]) -> str:
    """Return the operation in words ("Lumbar fusion, 2 levels, posterior approach, to the sacrum
    or pelvis, with a three-column osteotomy (two rods across it)") from the patient's inputs."""
    said = words["operation"]
    region, levels, approach = (patient.get(name) for name in ("region", "levels_fused", "approach"))
    parts = [said["region"].format(region=region).capitalize() if region else said["no_region"]]
    if levels is None:
        parts.append(said["no_levels"])
    else:
        parts.append(said["level" if levels == 1 else "levels"].format(levels=levels))
    parts.append(said["approach"].format(approach=approach) if approach else said["no_approach"])
    if patient.get("fusion_to_sacrum_or_pelvis"):
        parts.append(said["to_pelvis"])
    if patient.get("three_column_osteotomy"):
        rods = patient.get(RODS)
        parts.append(said["osteotomy"] + (f" ({said['rods'][rods]})" if rods else ""))
    return ", ".join(parts) + "."


def mismatches(model: Model, words: Mapping[str, Any]) -> list[str]:
    """Return what the form's wording names that the model lacks, or needs and the wording lacks."""
    from .form import PAGE_ONLY

    found = [] if set(words["contacts"]) == set(PAGE_ONLY) else [f"contacts: not {sorted(PAGE_ONLY)}"]
    inputs = set(model.inputs)
    for key in ("labels", "nouns"):
        if not set(words[key]) <= inputs:
            found.append(f"{key}: {sorted(set(words[key]) - inputs)} are not inputs")
    if not {*OPERATION, RODS} <= inputs:
        found.append(f"operation: {sorted({*OPERATION, RODS} - inputs)} are not inputs")
    elif set(words["operation"]["rods"]) != set(model.inputs[RODS]["values"]):
        found.append(f"operation.rods: not {model.inputs[RODS]['values']}")
    types = {row["type"] for row in model.inputs.values()}
    core_types = {row["type"] for row in model.inputs.values() if row.get("core")}
    for kind, needed in ((REQUIRED, core_types), (INVALID, types)):
        if not needed <= set(words["errors"][kind]):
            found.append(f"errors.{kind}: no message for {sorted(needed - set(words['errors'][kind]))}")
    for name, row in model.inputs.items():
        try:
            _input_words(model, name, row, words)
        except KeyError as error:
            found.append(f"{name}: the table has no {error}")
    return found
