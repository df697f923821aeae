"""Assess a FHIR Bundle: check its shape against the published schema, read it, score it."""

from __future__ import annotations

from datetime import date
from typing import Any

from jsonschema import Draft202012Validator
from marshmallow import ValidationError

from schemas import patient_loader
from schemas.fhir import BUNDLE

from .extract import Extraction, extract
from .render import risk_bundle
from .terminology import load_terminology

_bundle = Draft202012Validator(BUNDLE)
_patient = patient_loader()
MAX_ISSUES = 20


class FhirInputError(Exception):
    """The bundle cannot be read: answered as a 422 OperationOutcome naming the entries."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        super().__init__("invalid FHIR input")
        self.issues = issues


def read_bundle(bundle: dict[str, Any], on: date, levels_fused: int | None = None) -> tuple[Extraction, dict]:
    """Validate and read a bundle into model inputs; raise FhirInputError naming the entries."""
    problems = sorted(_bundle.iter_errors(bundle), key=lambda e: [str(p) for p in e.absolute_path])
    if problems:
        raise FhirInputError([_schema_issue(e) for e in problems[:MAX_ISSUES]])
    extraction = extract(bundle, load_terminology(), on, levels_fused)
    return extraction, _plausible(extraction)


def assess_bundle(bundle: dict[str, Any], assessor, on: date, levels_fused: int | None) -> dict[str, Any]:
    """Read and assess a bundle into a Bundle of RiskAssessment resources."""
    extraction, patient = read_bundle(bundle, on, levels_fused)
    title = assessor.model.document["title"]
    return risk_bundle(extraction, assessor(patient), load_terminology().table["output"], title, on)


def _schema_issue(error) -> dict[str, Any]:
    path = "Bundle" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    if error.validator in ("contains", "minContains", "maxContains"):
        return {"diagnostics": "The Bundle must hold exactly one Patient.", "expression": [path]}
    return {"diagnostics": error.message[:200], "expression": [path]}


def _plausible(extraction) -> dict[str, Any]:
    """Load the inputs read; a well-formed but implausible value is dropped and reported.

    Dropped core inputs become unknown (null) and dropped refinements "not provided", so a
    data-quality problem widens the range instead of blocking the assessment.
    """
    inputs = dict(extraction.patient)
    try:
        return _patient.load(inputs)
    except ValidationError as error:
        for name, texts in error.messages.items():
            inputs[name] = None
            where = [f"Bundle.entry[{i}].resource" for i in extraction.sources.get(name, ())]
            extraction.issues.append(
                {
                    "severity": "warning",
                    "code": "value",
                    "diagnostics": f"{name} ignored: {' '.join(map(str, texts))}",
                    "expression": where or ["Bundle"],
                }
            )
    return _patient.load(inputs)
