"""GET /v1/fhir/metadata: the CapabilityStatement of this FHIR base, and the OperationDefinition of the
risk operation; open, valid R4, and true of the service (every resource it names is served)."""

from __future__ import annotations

import pytest

from schemas.fhir_bundle import FhirQuerySchema
from service.fhir import load_terminology
from tests.helpers import make_app
from tests.helpers.fhir import fhir_r4_problems, read_open

TABLE = load_terminology().table
OPERATION = f"/v1/fhir/OperationDefinition/{TABLE['conformance']['operation']['id']}"


@pytest.mark.parametrize("path", ["/v1/fhir/metadata", OPERATION])
def test_each_is_served_open_and_valid_r4(client, path):
    assert fhir_r4_problems(read_open(client, path)) == []


CONFORMANCE = [
    "/v1/fhir/metadata",
    OPERATION,
    f"/v1/fhir/CodeSystem/{TABLE['conformance']['outcome_code_system']['id']}",
    f"/v1/fhir/StructureDefinition/{TABLE['conformance']['range_extension']['id']}",
]


@pytest.mark.parametrize("path", CONFORMANCE)
def test_the_official_r4_schema_refuses_each_broken(client, path):
    """The validation can fail: a status outside R4's PublicationStatus, caught by HL7's own schema."""
    resource = {**read_open(client, path), "status": "live"}
    assert any(p.startswith("schema ['status']") for p in fhir_r4_problems(resource))


def test_every_resource_the_statement_names_is_served_and_says_its_canonical_url(client):
    statement = read_open(client, "/v1/fhir/metadata")
    (rest,) = statement["rest"]
    urls = {}
    for entry in rest["resource"]:
        ids = [row["id"] for row in TABLE["conformance"].values()]
        found = [
            read_open(client, f"/v1/fhir/{entry['type']}/{i}")
            for i in ids
            if _served(client, entry["type"], i)
        ]
        assert len(found) == 1 and entry["interaction"] == [{"code": "read"}], entry["type"]
        urls[entry["type"]] = found[0]["url"]
    (operation,) = rest["operation"]
    assert operation["definition"] == urls["OperationDefinition"] == TABLE["conformance"]["operation"]["url"]
    assert statement["url"] == TABLE["conformance"]["capability_statement"]["url"]


def _served(client, kind, ident):
    return client.get(f"/v1/fhir/{kind}/{ident}", headers={"Authorization": ""}).status_code == 200


def test_the_implementation_is_this_base_as_its_callers_see_it():
    app = make_app(PUBLIC_BASE_URL="https://risk.hospital.example/api")
    statement = read_open(app.test_client(), "/v1/fhir/metadata")
    assert statement["implementation"]["url"] == "https://risk.hospital.example/api/v1/fhir"
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"


def test_the_operation_definition_is_the_operation_served(app, client):
    definition = read_open(client, OPERATION)
    assert f"/v1/fhir/{definition['code']}" in {rule.rule for rule in app.url_map.iter_rules()}
    inputs = {p["name"]: p for p in definition["parameter"] if p["use"] == "in"}
    assert set(inputs) == {"resource", *FhirQuerySchema().fields}
    assert inputs["resource"]["type"] == "Bundle" and inputs["levels_fused"]["type"] == "integer"
    (returned,) = [p for p in definition["parameter"] if p["use"] == "out"]
    assert returned["type"] == "Bundle" and definition["affectsState"] is False


def test_reading_needs_no_key_where_the_operation_needs_one(client):
    anonymous = {"Authorization": ""}
    assert client.get("/v1/fhir/metadata", headers=anonymous).status_code == 200
    assert client.post("/v1/fhir/risk-assessments", json={}, headers=anonymous).status_code == 401
