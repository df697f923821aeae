"""What this FHIR base offers: its CapabilityStatement and the OperationDefinition of the risk
operation, built from the mapping table, the model and the operation's own query schema."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core import Model
from .conformance import FHIR_VERSION, canonical

READ = [{"code": "read"}]
READABLE = ("CodeSystem", "StructureDefinition", "OperationDefinition")  # served at /v1/fhir/<type>/<id>


def risk_operation(
    table: Mapping[str, Any], model: Model, bundle: str, query: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """Return the OperationDefinition of POST /v1/fhir/risk-assessments: `bundle` says what the Bundle
    holds; `query` gives each query parameter's FHIR type and meaning."""
    operation = table["conformance"]["operation"]
    single = {"min": 1, "max": "1", "type": "Bundle"}
    parameters = [
        {"name": "resource", "use": "in", **single, "documentation": bundle},
        *(
            {"name": name, "use": "in", "min": 0, "max": "1", "type": kind, "documentation": meaning}
            for name, (kind, meaning) in query.items()
        ),
        {
            "name": "return",
            "use": "out",
            **single,
            "documentation": "A collection Bundle: one RiskAssessment per outcome (coded with the outcome "
            "CodeSystem, the risk-range extension when the range spans tiers), and an OperationOutcome "
            "listing what was ignored and why.",
        },
    ]
    return {
        **canonical("OperationDefinition", "operation", operation["url"], table, model),
        "name": "RiskAssessments",
        "title": f"Assess a Bundle: {model.document['title']}",
        "kind": "operation",
        "description": "Reads one patient's Bundle into the model's inputs and returns RiskAssessment "
        "resources. Decision support, not a diagnosis.",
        "affectsState": False,
        "code": operation["id"],
        "comment": f"Invoked as POST [base]/{operation['id']} with the Bundle as the body (no `$`), the "
        "other inputs as query parameters.",
        "system": True,
        "type": False,
        "instance": False,
        "parameter": parameters,
    }


def capability_statement(
    table: Mapping[str, Any], model: Model, base_url: str, software_version: str
) -> dict[str, Any]:
    """Return the CapabilityStatement of this service's FHIR base (`base_url`, as its callers see it)."""
    conformance, output = table["conformance"], table["output"]
    statement = conformance["capability_statement"]
    return {
        **canonical("CapabilityStatement", "capability_statement", statement["url"], table, model),
        "name": "SpinalFusionRisk",
        "title": model.document["title"],
        "description": "FHIR R4 face of the spinal-fusion complication risk service: one operation, and "
        "the resources that define what it returns.",
        "kind": "instance",
        "software": {"name": model.document["title"], "version": software_version},
        "implementation": {
            "description": f"{model.document['title']}, model {model.version}",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": f"Outcomes are coded in {output['outcome_system']}; a tier range in the "
                f"extension {output['range_extension']}.",
                "security": {
                    "description": "With API keys configured, the operation needs `Authorization: Bearer "
                    "<key>`; these conformance resources are open."
                },
                "resource": [{"type": kind, "interaction": READ} for kind in READABLE],
                "operation": [
                    {"name": conformance["operation"]["id"], "definition": conformance["operation"]["url"]}
                ],
            }
        ],
    }
