"""The FHIR resources that define what the service's RiskAssessments carry: the CodeSystem of the
outcomes and the StructureDefinition of the risk-range extension, built from the mapping table and the
model (no second copy to keep); `capability.py` says what the server offers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core import Model

FHIR_VERSION = "4.0.1"
EXTENSION_BASE = "http://hl7.org/fhir/StructureDefinition/Extension"
RANGE = (  # what the risk-range extension says: short, and in full
    "The tier range when unknown data could change the tier",
    "Present when unknown core factors widen the outcome's tier range: the lowest tier (the unknowns "
    "absent) and the highest (at their worst). The prediction's qualitativeRisk is coded at the highest, "
    "and the RiskAssessment is preliminary.",
)


def canonical(kind: str, key: str, url: str, table: Mapping[str, Any], model: Model) -> dict[str, Any]:
    """The fields every canonical resource shares: its id (from the table), url, version and date."""
    return {
        "resourceType": kind,
        "id": table["conformance"][key]["id"],
        "url": url,
        "version": model.version,
        "status": "active",
        "experimental": False,
        "date": str(model.document["released"]),
    }


def outcome_code_system(table: Mapping[str, Any], model: Model) -> dict[str, Any]:
    """Return the CodeSystem of the outcomes a RiskAssessment predicts (`output.outcome_system`)."""
    output = table["output"]
    concepts = [
        {
            "code": outcome["id"],
            "display": output["outcome_display"][outcome["id"]],
            "definition": f"{outcome['description']} Counted {outcome['horizon']}.",
        }
        for outcome in model.document["outcomes"]
    ]
    return {
        **canonical("CodeSystem", "outcome_code_system", output["outcome_system"], table, model),
        "name": "SpinalFusionRiskOutcome",
        "title": f"Outcomes: {model.document['title']}",
        "description": "The complications whose risk the model gives: the service's own code of "
        "`RiskAssessment.prediction.outcome`, sent beside the ICD-10-CM codes.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }


def _bound(name: str, meaning: str, value_set: str) -> list[dict[str, Any]]:
    """The elements of one sub-extension of the range: its url, and a coded tier."""
    path = f"Extension.extension:{name}"
    return [
        {
            "id": path,
            "path": "Extension.extension",
            "sliceName": name,
            "short": meaning,
            "min": 1,
            "max": "1",
        },
        {"id": f"{path}.extension", "path": "Extension.extension.extension", "max": "0"},
        {"id": f"{path}.url", "path": "Extension.extension.url", "fixedUri": name},
        {
            "id": f"{path}.value[x]",
            "path": "Extension.extension.value[x]",
            "min": 1,
            "type": [{"code": "CodeableConcept"}],
            "binding": {"strength": "required", "valueSet": value_set},
        },
    ]


def range_extension(table: Mapping[str, Any], model: Model) -> dict[str, Any]:
    """Return the StructureDefinition of the risk-range extension on `RiskAssessment.prediction`."""
    output = table["output"]
    url, value_set = output["range_extension"], output["risk_value_set"]
    elements = [
        {
            "id": "Extension",
            "path": "Extension",
            "short": RANGE[0],
            "definition": RANGE[1],
            "min": 0,
            "max": "1",
        },
        {
            "id": "Extension.extension",
            "path": "Extension.extension",
            "slicing": {"discriminator": [{"type": "value", "path": "url"}], "rules": "closed"},
            "min": 2,
            "max": "2",
        },
        *_bound("lowest", "The tier with the unknown factors absent", value_set),
        *_bound("highest", "The tier with the unknown factors at their worst", value_set),
        {"id": "Extension.url", "path": "Extension.url", "fixedUri": url},
        {"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"},
    ]
    return {
        **canonical("StructureDefinition", "range_extension", url, table, model),
        "name": "RiskRange",
        "title": "Risk range",
        "description": RANGE[1],
        "fhirVersion": FHIR_VERSION,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": "RiskAssessment.prediction"}],
        "type": "Extension",
        "baseDefinition": EXTENSION_BASE,
        "derivation": "constraint",
        "differential": {"element": elements},
    }
