"""The resources that define the RiskAssessments' codes and extension, served open and valid R4, and
what the RiskAssessments carry: codes of the CodeSystem, the extension as its StructureDefinition says."""

from __future__ import annotations

import copy
import json

import pytest

from service.fhir import load_terminology
from service.fhir.conformance import outcome_code_system, range_extension
from tests.helpers.fhir import FHIR_JSON, bundle, fhir_r4_problems, read_open

TABLE = load_terminology().table
IDS = {key: row["id"] for key, row in TABLE["conformance"].items()}
CODES = f"/v1/fhir/CodeSystem/{IDS['outcome_code_system']}"
EXTENSION = f"/v1/fhir/StructureDefinition/{IDS['range_extension']}"


def predictions(client, name):
    response = client.post("/v1/fhir/risk-assessments", data=json.dumps(bundle(name)), content_type=FHIR_JSON)
    entries = response.get_json()["entry"]
    return [
        e["resource"]["prediction"][0] for e in entries if e["resource"]["resourceType"] == "RiskAssessment"
    ]


@pytest.mark.parametrize("path", [CODES, EXTENSION])
def test_each_is_served_open_and_valid_r4(client, path):
    assert fhir_r4_problems(read_open(client, path)) == []


def test_the_outcome_codes_the_risk_assessments_carry_are_the_code_systems(client):
    system = read_open(client, CODES)
    assert system["url"] == TABLE["output"]["outcome_system"]  # the URN stays the canonical url
    concepts = {c["code"]: c["display"] for c in system["concept"]}
    own = [
        c
        for p in predictions(client, "complete")
        for c in p["outcome"]["coding"]
        if c["system"] == system["url"]
    ]
    assert len(own) == 2 and {c["code"]: c["display"] for c in own} == concepts
    assert system["count"] == len(concepts) and system["content"] == "complete"


def test_a_widened_prediction_carries_the_extension_its_structure_definition_describes(client):
    definition = read_open(client, EXTENSION)
    elements = {e["id"]: e for e in definition["differential"]["element"]}
    assert definition["url"] == elements["Extension.url"]["fixedUri"] == TABLE["output"]["range_extension"]
    slices = {e["sliceName"] for e in elements.values() if "sliceName" in e}
    widened = [p for p in predictions(client, "sparse") if "extension" in p]  # everything unknown
    assert widened
    for prediction in widened:
        (extension,) = prediction["extension"]
        assert extension["url"] == definition["url"]
        assert [part["url"] for part in extension["extension"]] == sorted(
            slices, reverse=True
        )  # lowest, highest
        for part in extension["extension"]:
            (coding,) = part["valueCodeableConcept"]["coding"]
            assert (
                coding["system"] == TABLE["output"]["risk_system"]
                and coding["code"] in TABLE["output"]["risk_display"]
            )
            assert elements[f"Extension.extension:{part['url']}.url"]["fixedUri"] == part["url"]


def test_the_resources_are_built_from_the_table_not_a_copy(model):
    table = copy.deepcopy(TABLE)
    table["output"]["outcome_display"]["pseudarthrosis"] = "Non-union"
    table["output"]["range_extension"] = "urn:example:range"
    assert outcome_code_system(table, model)["concept"][0]["display"] == "Non-union"
    assert range_extension(table, model)["url"] == "urn:example:range"
    assert outcome_code_system(TABLE, model)["version"] == model.version
