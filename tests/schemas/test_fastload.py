"""The fast loading path never accepts what the schema refuses, and takes the valid bodies."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from schemas import AssessmentRequestSchema, FastLoader, cross_field_errors, patient_loader
from schemas.fastload import UnsupportedSchema
from schemas.fields import StrictInteger
from tests.helpers import make_patient
from tests.helpers.strategies import patients

SCHEMA = AssessmentRequestSchema()
LOADER = patient_loader()
KEYS = [*(f.data_key or n for n, f in SCHEMA.load_fields.items()), "extra", "Age"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 130),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-10, 400).map(lambda x: round(x, 1)),
    st.sampled_from(["never", "former", "current", "lumbar", "cervical", "", "65", "saddle_numbness"]),
    st.text(max_size=5),
    st.lists(st.sampled_from(["saddle_numbness", "pain_worse_with_load", "nope"]), max_size=20),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def schema_load(data):
    try:
        return SCHEMA.load(data)
    except ValidationError:
        return "refused"


# Valid patients with one to three fields changed to anything: the fast path sees complete
# bodies (it declines an incomplete one at once) that are sometimes valid and sometimes not.
PERTURBED = st.builds(
    lambda patient, changes: {**patient, **changes},
    patients(),
    st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=3),
)


TAKEN: Counter[bool] = Counter()


@SETTINGS
@given(PERTURBED)
def test_the_fast_path_never_accepts_what_the_schema_refuses(data):
    fast = LOADER.fast(data)
    TAKEN[fast is not None] += 1
    if fast is not None:
        assert fast == schema_load(data)


def test_perturbed_bodies_exercised_both_paths():
    """The property above is not vacuous: the fast path took some perturbed bodies, not all."""
    assert TAKEN[True] > 0 and TAKEN[False] > 0


@SETTINGS
@given(patients())
def test_the_fast_path_takes_valid_bodies_and_agrees(patient):
    fast = LOADER.fast(patient)
    assert fast is not None
    assert fast == SCHEMA.load(patient)
    assert {type(v) for k, v in fast.items() if k in ("bmi", "t_score", "hba1c")} <= {float}


TRICKY = [
    *(None, True, False, 0, 1, -1, 2, 65, 65.0, 65.5, 10**19, 1e308, float("inf"), float("nan")),
    *("65", "2", "", "never", "cervical", "saddle_numbness"),
    *([], ["saddle_numbness"], ["nope"], [1], {}, {"a": 1}),
]
BASE = {
    "age": 50,
    "smoking": "former",
    "osteoporosis": False,
    "diabetes": False,
    "levels_fused": 1,
    "obesity": False,
}


@pytest.mark.parametrize("key", KEYS)
def test_every_field_with_every_tricky_value(key):
    """Exhaustive where randomness is thin: one field changed, fast path against the schema."""
    for value in TRICKY:
        data = {**BASE, key: value}
        fast = LOADER.fast(data)
        if fast is not None:
            assert fast == schema_load(data), (key, value)


@pytest.mark.parametrize(
    "body",
    [
        {"age": 65.0},
        {"age": True},
        {"smoking": "x"},
        {"bmi": 30},
        {"symptoms": ["nope"]},
        {"months_since_quit": 2},
    ],
)
def test_load_gives_the_schema_result_or_its_errors(body):
    data = make_patient(**body)
    expected = schema_load(data)
    if expected == "refused":
        with pytest.raises(ValidationError):
            LOADER.load(data)
    else:
        assert LOADER.load(data) == expected


def test_a_field_it_cannot_compile_is_refused_at_start():
    class Other(Schema):
        when = fields.DateTime()

    class OneSided(Schema):
        n = StrictInteger(validate=validate.Range(min=0))  # a one-sided range

    for schema in (Other(), OneSided()):
        with pytest.raises(UnsupportedSchema, match="no fast check"):
            FastLoader(schema)


def _hooked(decorator, *args):
    class Hooked(Schema):
        n = StrictInteger(validate=validate.Range(0, 10))

        @decorator(*args)
        def hook(self, data, **kwargs):
            return data

    return Hooked()


@pytest.mark.parametrize(
    ("decorator", "args"),
    [(validates_schema, ()), (post_load, ()), (pre_load, ()), (validates, ("n",))],
    ids=["validates_schema-without-an-equivalent", "post_load", "pre_load", "validates"],
)
def test_a_schema_hook_it_cannot_reproduce_is_refused_at_start(decorator, args):
    with pytest.raises(UnsupportedSchema, match="no fast equivalent"):
        FastLoader(_hooked(decorator, *args))


def test_the_patient_schema_s_hook_is_reproduced_by_its_own_function():
    assert LOADER.cross_field is cross_field_errors
