"""Write an assessment as FHIR R4 RiskAssessment resources, and errors as an OperationOutcome."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..core import Model
from ..core.typical import rate_words
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
    extraction: Extraction, assessment: Mapping[str, Any], table: Mapping[str, Any], model: Model, on: date
) -> dict[str, Any]:
    """Return a collection Bundle: one RiskAssessment per outcome, and what was ignored.

    With unknown core factors the assessment is `preliminary`, its coded risk is the highest tier
    of the range (never the reassuring end), and the range and the unknowns are stated. The typical
    published rate for the kind of operation is a note, never a `probability`."""
    output = {**table["output"], "systems": table["systems"]}
    method = _method(assessment["model"], output, model.document["title"])
    unknown = ", ".join(u["label"] for u in assessment["unknown_factors"])
    notes = [{"text": assessment["disclaimer"]}, *({"text": w["message"]} for w in assessment["warnings"])]
    subject = extraction.subject["reference"]
    entries = []
    for outcome, block in assessment["outcomes"].items():
        widened = not block["determinate"]
        said = [{"text": output["widened_note" if widened else "unknown_note"].format(unknown=unknown)}]
        rate = {"text": rate_words(block["typical_rate"], model.typical.none, assessment["operation_class"])}
        resource = {
            "resourceType": "RiskAssessment",
            "status": "preliminary" if widened else "final",
            "subject": extraction.subject,
            "occurrenceDateTime": on.isoformat(),
            "method": method,
            "prediction": [_prediction(outcome, block, output, unknown)],
            "note": [*notes, rate, *(said if unknown else ())],
        }
        if extraction.basis:
            resource["basis"] = extraction.basis
        mitigation = " ".join(
            dict.fromkeys(e["advice"] for e in block["contributing_factors"] if "advice" in e)
        )
        if mitigation:
            resource["mitigation"] = mitigation
        entries.append({"fullUrl": _urn(subject, outcome, on), "resource": resource})
    if extraction.issues:
        outcome_resource = {"resourceType": "OperationOutcome", "issue": extraction.issues}
        entries.append({"fullUrl": _urn(subject, "issues", on), "resource": outcome_resource})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _method(model: Mapping[str, Any], output: Mapping[str, Any], title: str) -> dict[str, Any]:
    coding = {"system": output["model_system"], "code": model["id"], "version": model["version"]}
    return {"coding": [{**coding, "display": title}], "text": f"{title}, version {model['version']}"}


def _prediction(
    outcome: str, block: Mapping[str, Any], output: Mapping[str, Any], unknown: str
) -> dict[str, Any]:
    """The outcome and its risk, coded at the highest tier of the range; with a range, both bounds in
    the extension and in the text."""
    lowest, highest = block["risk_range"]["lowest"], block["risk_range"]["highest"]
    text = (
        f"{lowest.capitalize()} to {highest}: {unknown} unknown"
        if lowest != highest
        else highest.capitalize()
    )
    prediction = {
        "outcome": _outcome_concept(outcome, output),
        "qualitativeRisk": {"coding": [_risk_coding(highest, output)], "text": text},
        "rationale": block["summary"],
    }
    if lowest != highest:
        bounds = (("lowest", lowest), ("highest", highest))
        prediction["extension"] = [
            {
                "url": output["range_extension"],
                "extension": [
                    {"url": bound, "valueCodeableConcept": {"coding": [_risk_coding(tier, output)]}}
                    for bound, tier in bounds
                ],
            }
        ]
    return prediction


def _outcome_concept(outcome: str, output: Mapping[str, Any]) -> dict[str, Any]:
    own = {"system": output["outcome_system"], "code": outcome, "display": output["outcome_display"][outcome]}
    standard = [
        {"system": output["systems"][system], "code": code, "display": display}
        for system, codes in output["outcome_codes"][outcome].items()
        for code, display in codes.items()
    ]
    return {"coding": [own, *standard], "text": output["outcome_display"][outcome]}


def _risk_coding(tier: str, output: Mapping[str, Any]) -> dict[str, str]:
    return {"system": output["risk_system"], "code": tier, "display": output["risk_display"][tier]}


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
