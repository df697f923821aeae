"""Building blocks of the wire format: the JSON Schema check that decides fast and explains within
bounds, and integers that stay integers."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from schemas.fhir_bundle import BUNDLE, RESOURCE_OR_BUNDLE
from schemas.fields import PREFIX, JsonSchemaCheck, StrictInteger

CODINGS = {"resourceType": "Condition", "code": {"coding": [{}] * 300}}
PATIENT = {"resource": {"resourceType": "Patient", "id": "p"}}


def test_a_bundle_without_a_patient_is_explained_by_its_one_document_wide_error():
    """2,000 entries of 300 codings each, no Patient: the one error is found without a walk over all."""
    errors = JsonSchemaCheck(BUNDLE, limit=20).errors(
        {"resourceType": "Bundle", "entry": [{"resource": CODINGS}] * 2000}
    )
    assert [(path, keyword) for path, keyword, _ in errors] == [(["entry"], "minContains")]


def test_three_hundred_thousand_errors_are_explained_by_the_first_twenty():
    value = {
        "resourceType": "Bundle",
        "entry": [PATIENT, {"resource": {"resourceType": "Condition", "code": {"coding": [1] * 300_000}}}],
    }
    errors = JsonSchemaCheck(BUNDLE, limit=20).errors(value)
    assert len(errors) == 20 and all(keyword == "type" for _, keyword, _ in errors)
    assert errors[0][0] == ["entry", 1, "resource", "code", "coding", 0]


def test_an_error_past_the_prefix_is_still_the_first_one_named():
    entries = (
        [PATIENT]
        + [{"resource": {"resourceType": "Basic"}}] * (PREFIX * 3)
        + [{"resource": {"resourceType": 7}}]
    )
    errors = JsonSchemaCheck(BUNDLE, limit=20).errors({"resourceType": "Bundle", "entry": entries})
    assert errors and errors[0][0] == ["entry", PREFIX * 3 + 1, "resource", "resourceType"]


def test_a_prefix_never_invents_a_missing_patient():
    """The Patient past the prefix: the explanation read no Patient, but `contains` is decided on the
    whole array (by the compiled validator), so no 'exactly one Patient' error is made up."""
    entries = [{"resource": {"resourceType": "Basic"}}] * (PREFIX * 2) + [
        PATIENT,
        {"resource": {"resourceType": 7}},
    ]
    errors = JsonSchemaCheck(BUNDLE, limit=20).errors({"resourceType": "Bundle", "entry": entries})
    assert errors and all(keyword not in ("contains", "minContains") for _, keyword, _ in errors)


def test_valid_values_have_no_errors():
    assert (
        JsonSchemaCheck(RESOURCE_OR_BUNDLE, limit=5).errors(
            {"resourceType": "Bundle", "entry": [{"resource": CODINGS}] * 2000}
        )
        == []
    )


@pytest.mark.parametrize("value", [70.0, 70.5, "70", True, None])
def test_an_integer_is_written_as_one(value):
    field = StrictInteger(allow_none=False)
    with pytest.raises(ValidationError):
        field.deserialize(value)
    assert field.deserialize(70) == 70
