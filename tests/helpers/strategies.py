"""Hypothesis strategies: valid patients of the model, built from the table's inputs (types, bounds,
choices), so an input added to the table is drawn without editing this file."""

from __future__ import annotations

from hypothesis import strategies as st

from schemas.patient import MODEL, SYMPTOMS, cross_field_errors

INPUTS = MODEL.inputs
ADULT = MODEL.adult_age
CORE = tuple(name for name, row in INPUTS.items() if row.get("core"))
FLAGS = tuple(name for name, row in INPUTS.items() if row["type"] == "boolean")
CORE_FLAGS = tuple(name for name in FLAGS if name in CORE)
OPTIONAL_FLAGS = tuple(name for name in FLAGS if name not in CORE)
MAX_SYMPTOMS = 4  # a few at once: the review reads each one


def maybe(strategy):
    return st.none() | strategy


def numbers(low, high):
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 1))


def values(name: str):
    """Any value the table allows for input `name`: within its bounds, among its choices."""
    row = INPUTS[name]
    kind = row["type"]
    if kind == "boolean":
        return st.booleans()
    if kind == "choice":
        return st.sampled_from(row["values"])
    if kind == "integer":
        return st.integers(row["min"], row["max"])
    if kind == "number":
        return numbers(row["min"], row["max"])
    if kind == "symptoms":
        return st.lists(st.sampled_from((*SYMPTOMS, *MODEL.aliases)), max_size=MAX_SYMPTOMS)  # old codes too
    raise ValueError(f"input {name}: no strategy for inputs of type {kind!r}")  # a new type needs one


@st.composite
def patients(draw, unknowns=True):
    """A valid patient: any core value (or null), any refinements the 422's cross-field rules allow."""
    patient = {name: draw(maybe(values(name)) if unknowns else values(name)) for name in CORE}
    for name in INPUTS:
        if name not in CORE and draw(st.booleans()):
            patient[name] = draw(values(name))
    return agreeing(patient)


def agreeing(patient: dict) -> dict:
    """Drop refinements until the cross-field rules (the schema's own) accept the patient: the field
    an error names, or, when it names a missing partner, the refinement that asked for it."""
    for _ in range(len(patient)):
        errors = cross_field_errors(patient)
        if not errors:
            return patient
        named = next(iter(errors))
        refinements = [name for name in patient if name not in CORE]
        if named in refinements:
            del patient[named]
            continue
        del patient[next(n for n in refinements if named not in cross_field_errors(_without(patient, n)))]
    raise AssertionError(f"the cross-field rules refuse every subset tried: {patient}")


def _without(patient: dict, name: str) -> dict:
    return {key: value for key, value in patient.items() if key != name}
