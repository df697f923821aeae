"""Assess a FHIR Bundle: check its shape against the published schema, read it, score it."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from schemas import FastLoader
from schemas.fhir_bundle import BUNDLE, MAX_BUNDLE_ENTRIES
from schemas.fields import JsonSchemaCheck, json_path

from ..core import Model
from .extract import Extraction, extract
from .render import risk_bundle
from .terminology import Terminology

MAX_ISSUES = 20
_bundle = JsonSchemaCheck(BUNDLE, limit=MAX_ISSUES)


TOO_MANY = f"The Bundle holds more than {MAX_BUNDLE_ENTRIES} entries: send the resources about the patient."


NO_SUBJECT = "The Patient has neither an id nor a fullUrl: the RiskAssessment could not refer to it."


class FhirInputError(Exception):
    """The bundle cannot be read: answered as a 422 OperationOutcome naming the entries."""

    def __init__(self, issues: list[dict[str, Any]]) -> None:
        super().__init__("invalid FHIR input")
        self.issues = issues


class NotAnAdult(FhirInputError):
    """The patient is younger than the model applies to: no tiers (an OperationOutcome, no risk card)."""


class Bundles:
    """Read and assess FHIR Bundles with the app's code table, model and patient loader (the factory
    builds one: nothing here loads a table of its own)."""

    def __init__(self, terms: Terminology, model: Model, loader: FastLoader) -> None:
        self.terms = terms
        self.model = model
        self.loader = loader

    def read(
        self, bundle: dict[str, Any], on: date, levels_fused: int | None = None
    ) -> tuple[Extraction, dict]:
        """Validate and read a bundle into model inputs; raise FhirInputError naming the entries."""
        entries = bundle.get("entry")
        if type(entries) is list and len(entries) > MAX_BUNDLE_ENTRIES:  # before any work per entry
            raise FhirInputError(
                [{"diagnostics": TOO_MANY, "expression": ["Bundle.entry"], "code": "too-costly"}]
            )
        problems = _bundle.errors(bundle)
        if problems:
            raise FhirInputError([_schema_issue(*problem) for problem in problems])
        extraction = extract(bundle, self.terms, self.model, on, levels_fused)
        _adult(extraction, self.model.adult_age)
        return extraction, _plausible(extraction, self.loader)

    def assess(self, bundle: dict[str, Any], assessor, on: date, levels_fused: int | None) -> dict[str, Any]:
        """Read and assess a bundle into a Bundle of RiskAssessment resources."""
        extraction, patient = self.read(bundle, on, levels_fused)
        return risk_bundle(extraction, assessor(patient), self.terms.table, self.model, on)


def _adult(extraction: Extraction, adult: int) -> None:
    """Refuse a patient younger than the model's adult age (a birth date in the future is left to
    the plausibility check: unknown, and reported)."""
    age = extraction.patient.get("age")
    if age is not None and 0 <= age < adult:
        where = [f"Bundle.entry[{i}].resource.birthDate" for i in extraction.sources.get("age", ())]
        message = f"The patient is younger than {adult}: the model applies to adults, {adult} or older."
        raise NotAnAdult(
            [{"code": "not-supported", "diagnostics": message, "expression": where or ["Bundle"]}]
        )


def _schema_issue(path: list, keyword: str, message: str) -> dict[str, Any]:
    where = f"Bundle.{json_path(path)}".rstrip(".")
    if keyword in ("contains", "minContains", "maxContains"):
        return {"diagnostics": "The Bundle must hold exactly one Patient.", "expression": [where]}
    if keyword == "anyOf" and len(path) == 2:  # an entry: the Patient's, without id or fullUrl
        return {"diagnostics": NO_SUBJECT, "expression": [where]}
    return {"diagnostics": message, "expression": [where]}


# Inputs that only mean something together: when one is dropped, so is its partner.
PARTNERS = {"height_cm": ("weight_kg",), "weight_kg": ("height_cm",)}


def _plausible(extraction: Extraction, loader: FastLoader) -> dict[str, Any]:
    """Load the inputs read; a well-formed but implausible value is dropped and reported.

    Dropped core inputs become unknown (null) and dropped refinements "not provided", so a
    data-quality problem widens the range instead of blocking the assessment. Each round drops
    at least one input, so this ends within as many rounds as there are inputs.
    """
    inputs = dict(extraction.patient)
    for _ in range(len(inputs) + 1):
        try:
            return loader.load(inputs)
        except ValidationError as error:
            messages = error.messages if isinstance(error.messages, dict) else {}
            for name, texts in messages.items():
                _drop(extraction, inputs, name, texts)
    raise FhirInputError(
        [{"diagnostics": "The bundle's values cannot be read together.", "expression": ["Bundle"]}]
    )


def _drop(extraction: Extraction, inputs: dict[str, Any], name: str, texts: Any) -> None:
    for dropped in (name, *PARTNERS.get(name, ())):
        if inputs.get(dropped) is None:
            continue
        inputs[dropped] = None
        where = [f"Bundle.entry[{i}].resource" for i in extraction.sources.get(dropped, ())]
        reason = " ".join(map(str, texts)) if dropped == name else f"dropped with {name}"
        extraction.issues.append(
            {
                "severity": "warning",
                "code": "value",
                "diagnostics": f"{dropped} ignored: {reason}",
                "expression": where or ["Bundle"],
            }
        )
