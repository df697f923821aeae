"""The contract names each set of values once and refers to it; two sets of one name are refused."""

from __future__ import annotations

import pytest
from apispec import APISpec
from marshmallow import Schema, ValidationError, fields

from schemas.named import Choice, Deferred
from service.http.references import ReferencingPlugin


def _spec() -> APISpec:
    return APISpec("t", "1", "3.1.0", plugins=[ReferencingPlugin()])


class _Tiered(Schema):
    tier = fields.String(validate=Choice("Tier", ("low", "high")))
    maybe = fields.String(allow_none=True, validate=Choice("Tier", ("low", "high")))
    codes = fields.List(fields.String(validate=Choice("Code", ("a",), also=(Choice("OldCode", ("z",)),))))
    later = Deferred("Tier")


def test_a_set_is_named_once_and_referred_to():
    spec = _spec()
    spec.components.schema("Tiered", schema=_Tiered)
    document = spec.to_dict()["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/Tier"}
    assert document["Tier"] == {"type": "string", "enum": ["low", "high"]}
    properties = document["Tiered"]["properties"]
    assert properties["tier"] == ref and properties["later"] == ref
    assert properties["maybe"] == {"anyOf": [ref, {"type": "null"}]}
    assert properties["codes"]["items"] == {
        "anyOf": [{"$ref": "#/components/schemas/Code"}, {"$ref": "#/components/schemas/OldCode"}]
    }


def test_two_different_sets_of_one_name_are_refused():
    class Clash(Schema):
        tier = fields.String(validate=Choice("Tier", ("low", "moderate", "high")))

    spec = _spec()
    spec.components.schema("Tiered", schema=_Tiered)
    with pytest.raises(ValueError, match="named Tier"):
        spec.components.schema("Clash", schema=Clash)


def test_a_choice_validates_every_set_it_names():
    choice = Choice("Code", ("a",), also=(Choice("OldCode", ("z",)),))
    assert choice("a") == "a" and choice("z") == "z"
    with pytest.raises(ValidationError, match="Must be one of"):
        choice("b")
