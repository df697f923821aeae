"""Write an assessment as FHIR R4 RiskAssessment resources, and errors as an OperationOutcome."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .extract import Extraction

FHIR_JSON = "application/fhir+json"
# HTTP status -> OperationOutcome issue type (http://hl7.org/fhir/issue-type)
ISSUE_TYPES = {
    400: "structure",
    401: "login",
    404: "not-found",
    405: "not-supported",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    500: "exception",
    503: "transient",
}


def risk_bundle(
    extraction: Extraction, assessment: Mapping[str, Any], output: Mapping[str, Any], title: str, on: date
) -> dict[str, Any]:
    """Return a collection Bundle: one RiskAssessment per outcome, and what was ignored."""
    method = _method(assessment["model"], output, title)
    notes = [{"text": assessment["disclaimer"]}, *({"text": w["message"]} for w in assessment["warnings"])]
    entries = []
    for outcome, block in assessment["outcomes"].items():
        resource = {
            "resourceType": "RiskAssessment",
            "status": "final",
            "subject": extraction.subject,
            "occurrenceDateTime": on.isoformat(),
            "method": method,
            "prediction": [_prediction(outcome, block, output)],
            "note": notes,
        }
        if extraction.basis:
            resource["basis"] = extraction.basis
        mitigation = " ".join(
            dict.fromkeys(e["advice"] for e in block["contributing_factors"] if "advice" in e)
        )
        if mitigation:
            resource["mitigation"] = mitigation
        entries.append({"fullUrl": _urn(extraction.subject["reference"], outcome, on), "resource": resource})
    if extraction.issues:
        outcome_resource = {"resourceType": "OperationOutcome", "issue": extraction.issues}
        entries.append(
            {"fullUrl": _urn(extraction.subject["reference"], "issues", on), "resource": outcome_resource}
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _method(model: Mapping[str, Any], output: Mapping[str, Any], title: str) -> dict[str, Any]:
    coding = {"system": output["model_system"], "code": model["id"], "version": model["version"]}
    return {"coding": [{**coding, "display": title}], "text": f"{title}, version {model['version']}"}


def _prediction(outcome: str, block: Mapping[str, Any], output: Mapping[str, Any]) -> dict[str, Any]:
    risk = block["risk"]
    return {
        "outcome": {
            "coding": [
                {
                    "system": output["outcome_system"],
                    "code": outcome,
                    "display": output["outcome_display"][outcome],
                }
            ],
            "text": output["outcome_display"][outcome],
        },
        "qualitativeRisk": {
            "coding": [
                {"system": output["risk_system"], "code": risk, "display": output["risk_display"][risk]}
            ],
            "text": risk,
        },
        "rationale": block["summary"],
    }


def _urn(subject: str, part: str, on: date) -> str:
    """Return a stable urn:uuid, so the same input gives the same bundle."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{subject}|{part}|{on.isoformat()}')}"


def operation_outcome(status: int, issues: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Return an OperationOutcome of errors; each issue needs `diagnostics`, may have `expression`."""
    code = ISSUE_TYPES.get(status, "processing")
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, **dict(issue)} for issue in issues],
    }
