"""Read a FHIR R4 Bundle into model inputs, remembering which resource gave each value."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .anatomy import fusion_span
from .terminology import Terminology, codings, concept_text

SMOKING_RANK = {None: 0, "never": 1, "former": 2, "current": 3}  # equal times: the worse answer
HIGHER_IS_WORSE = {"bmi": 1, "hba1c": 1, "weight_kg": 1, "height_cm": -1, "t_score": -1}


@dataclass
class Extraction:
    """Model inputs read from a bundle: unknown core inputs are None, refinements absent."""

    patient: dict[str, Any]
    subject: dict[str, str]  # Reference to the Patient
    sources: dict[str, list[int]] = field(default_factory=dict)  # input -> entry indexes
    basis: list[dict[str, str]] = field(default_factory=list)  # References of the resources used
    issues: list[dict[str, Any]] = field(default_factory=list)  # what was ignored, and why


def extract(
    bundle: Mapping[str, Any], terms: Terminology, on: date, levels_fused: int | None = None
) -> Extraction:
    """Read the bundle's single Patient and the resources about them, as of `on`."""
    reader = _Reader(bundle, terms)
    return reader.read(on, levels_fused)


class _Reader:
    def __init__(self, bundle: Mapping[str, Any], terms: Terminology) -> None:
        self.terms = terms
        self.entries = [e for e in bundle.get("entry") or () if isinstance(e, dict)]
        self.by_type: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            resource = entry.get("resource")
            if isinstance(resource, dict):
                self.by_type[resource.get("resourceType")].append((index, resource))
        self.used: dict[int, None] = {}  # entry indexes used, in order
        self.sources: dict[str, list[int]] = defaultdict(list)
        self.issues: list[dict[str, Any]] = []

    def read(self, on: date, levels_fused: int | None) -> Extraction:
        patient_index, patient = self.by_type["Patient"][0]
        self.patient_keys = {f"Patient/{patient.get('id')}", self.entries[patient_index].get("fullUrl")}
        values: dict[str, Any] = {"age": self._age(patient_index, patient, on)}
        values.update(self._observations())
        values.update(self._conditions())
        values.update(self._steroids())
        values.update(self._fusion(levels_fused))
        inputs = _model_inputs(values)
        return Extraction(
            patient=inputs,
            subject={"reference": self._reference(patient_index)},
            sources={k: v for k, v in self.sources.items() if k in inputs},
            basis=[{"reference": self._reference(i)} for i in self.used if self._reference(i)],
            issues=self.issues,
        )

    # -- bookkeeping -------------------------------------------------------------------------

    def _use(self, name: str, index: int) -> None:
        self.used[index] = None
        self.sources[name].append(index)

    def _ignore(self, index: int, why: str, severity: str = "warning") -> None:
        where = f"Bundle.entry[{index}].resource"
        self.issues.append(
            {"severity": severity, "code": "informational", "diagnostics": why, "expression": [where]}
        )

    def _reference(self, index: int) -> str:
        resource = self.entries[index]["resource"]
        if resource.get("id"):
            return f"{resource['resourceType']}/{resource['id']}"
        return self.entries[index].get("fullUrl") or ""

    def _about_patient(self, index: int, resource: Mapping[str, Any]) -> bool:
        subject = resource.get("subject") or resource.get("patient")
        reference = subject.get("reference") if isinstance(subject, dict) else None
        if reference is None or reference in self.patient_keys:
            return True
        self._ignore(index, f"it is about {reference}, not this bundle's Patient; ignored")
        return False

    def _resources(self, *types: str) -> Iterator[tuple[int, dict]]:
        for resource_type in types:
            yield from self.by_type.get(resource_type, ())

    # -- patient, observations -----------------------------------------------------------------

    def _age(self, index: int, patient: Mapping[str, Any], on: date) -> int | None:
        born = _date(patient.get("birthDate"))  # YYYY or YYYY-MM: the earliest day, the older age
        if born is None:
            self._ignore(index, "the Patient has no usable birthDate: age is unknown", "information")
            return None
        self._use("age", index)
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def _observations(self) -> dict[str, Any]:
        found: dict[str, list[tuple[tuple, Any, int]]] = defaultdict(list)
        for index, resource in self._resources("Observation"):
            codes = set(codings(resource.get("code")))
            name = next((n for n, c in self.terms.observations.items() if codes & c.codes), None)
            if name is None:
                continue
            if resource.get("status") not in self.terms.observation_statuses:
                self._ignore(index, f"{name} observation with status {resource.get('status')!r}; ignored")
                continue
            if not self._about_patient(index, resource):
                continue
            value = self._observed_value(index, name, resource)
            if value is not _SKIP:
                found[name].append((_sort_key(name, resource, value), value, index))
        latest = {}
        for name, candidates in found.items():
            _, value, index = max(candidates, key=lambda c: c[0])
            latest[name] = value
            self._use(name, index)
        return latest

    def _observed_value(self, index: int, name: str, resource: Mapping[str, Any]) -> Any:
        concept = self.terms.observations[name]
        if concept.answers:
            answers = [
                concept.answers[c]
                for c in codings(resource.get("valueCodeableConcept"))
                if c in concept.answers
            ]
            if not answers:
                self._ignore(index, f"{name} answer not recognised; ignored")
                return _SKIP
            return answers[0]
        quantity = resource.get("valueQuantity")
        if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), (int, float)):
            self._ignore(index, f"{name} observation without a numeric valueQuantity; ignored")
            return _SKIP
        unit = quantity.get("code", quantity.get("unit", ""))
        conversion = concept.units.get(unit)
        if conversion is None:
            self._ignore(index, f"{name} in unit {unit!r}, which is not supported; ignored")
            return _SKIP
        if isinstance(conversion, dict):
            return round(quantity["value"] * conversion["scale"] + conversion["offset"], 1)
        return round(quantity["value"] * conversion, 1)

    # -- conditions, medications, the fusion ----------------------------------------------------

    def _conditions(self) -> dict[str, bool]:
        found: dict[str, bool] = {}
        for index, resource in self._resources("Condition"):
            codes = codings(resource.get("code"))
            names = [n for n, concept in self.terms.conditions.items() if concept.matches(codes)]
            if not names or not self._active_condition(index, resource):
                continue
            for name in names:
                found[name] = True
                self._use(name, index)
        return found

    def _active_condition(self, index: int, resource: Mapping[str, Any]) -> bool:
        clinical = {code for _, code in codings(resource.get("clinicalStatus"))}
        verification = {code for _, code in codings(resource.get("verificationStatus"))}
        if verification & self.terms.condition_ignored:
            self._ignore(index, f"condition {', '.join(sorted(verification))}; ignored", "information")
            return False
        if clinical and not clinical & self.terms.condition_statuses:
            self._ignore(index, f"condition {', '.join(sorted(clinical))}; ignored", "information")
            return False
        return self._about_patient(index, resource)

    def _steroids(self) -> dict[str, bool]:
        table = self.terms.table["steroids"]
        for index, resource in self._resources("MedicationStatement", "MedicationRequest"):
            medication = self._medication(resource)
            named = concept_text(medication)
            if not (
                set(codings(medication)) & self.terms.steroid_codes or any(n in named for n in table["names"])
            ):
                continue
            routes = " ".join(concept_text(d.get("route")) for d in _dosages(resource))
            if resource.get("status") not in table["statuses"]:
                self._ignore(
                    index, f"corticosteroid with status {resource.get('status')!r}; ignored", "information"
                )
            elif any(word in routes for word in table["not_systemic_routes"]):
                self._ignore(index, "corticosteroid by a non-systemic route; ignored", "information")
            elif self._about_patient(index, resource):
                self._use("steroid_use", index)
        return {"steroid_use": True} if "steroid_use" in self.sources else {}

    def _medication(self, resource: Mapping[str, Any]) -> Any:
        if "medicationCodeableConcept" in resource:
            return resource["medicationCodeableConcept"]
        reference = (resource.get("medicationReference") or {}).get("reference")
        for index, medication in self._resources("Medication"):
            if reference in (f"Medication/{medication.get('id')}", self.entries[index].get("fullUrl")):
                return medication.get("code")
        return None

    def _fusion(self, levels_fused: int | None) -> dict[str, Any]:
        table = self.terms.table["fusion"]
        spans = []
        for index, resource in self._resources("ServiceRequest", "Procedure"):
            if not self.terms.fusion.matches(codings(resource.get("code"))):
                continue
            if resource.get("status") not in table["statuses"][resource["resourceType"]]:
                continue
            text = " ".join(
                concept_text(c) for c in [resource.get("code"), *(resource.get("bodySite") or ())]
            )
            span = fusion_span(text, table["sacrum_words"])
            if span is None:
                self._ignore(index, "spinal fusion without a readable vertebral range", "information")
            elif self._about_patient(index, resource):
                spans.append(
                    (_time(resource, "authoredOn", "occurrenceDateTime", "performedDateTime"), span, index)
                )
        found: dict[str, Any] = {}
        if spans:
            _, span, index = max(spans, key=lambda s: (s[0] or datetime.min, s[2]))
            found.update(span)
            for name in span:
                self._use(name, index)
        if levels_fused is not None:
            found["levels_fused"] = levels_fused  # the caller's parameter wins
            self.sources.pop("levels_fused", None)
        return found


_SKIP = object()


def _model_inputs(values: Mapping[str, Any]) -> dict[str, Any]:
    """Shape the values read into a request body for the model (unknown core inputs: None)."""
    inputs = {
        name: values.get(name) for name in ("age", "smoking", "osteoporosis", "diabetes", "levels_fused")
    }
    inputs["obesity"] = values.get("obesity")
    if "bmi" in values:
        inputs["bmi"] = values["bmi"]
    elif "height_cm" in values and "weight_kg" in values:
        inputs["height_cm"], inputs["weight_kg"] = values["height_cm"], values["weight_kg"]
    for name in ("t_score", "hba1c", "osteopenia", "vitamin_d_deficiency", "steroid_use", "region"):
        if name in values:
            inputs[name] = values[name]
    if "fusion_to_sacrum_or_pelvis" in values:
        inputs["fusion_to_sacrum_or_pelvis"] = values["fusion_to_sacrum_or_pelvis"]
    return inputs


def _dosages(resource: Mapping[str, Any]) -> list[dict]:
    dosages = resource.get("dosage") or resource.get("dosageInstruction") or ()
    return [d for d in dosages if isinstance(d, dict)]


def _sort_key(name: str, resource: Mapping[str, Any], value: Any) -> tuple:
    """Latest first; a T-score's scan day as a whole; at equal times, the worse value."""
    when = _time(resource, "effectiveDateTime", "effectiveInstant", "issued") or datetime.min
    if name == "t_score":
        when = datetime(when.year, when.month, when.day)
    worse = SMOKING_RANK[value] if name == "smoking" else value * HIGHER_IS_WORSE[name]
    return (when, worse)


def _time(resource: Mapping[str, Any], *names: str) -> datetime | None:
    """Return the first usable time among `names` (or an effective/performed period), as naive UTC."""
    candidates = [resource.get(n) for n in names]
    for period in ("effectivePeriod", "performedPeriod"):
        if isinstance(resource.get(period), dict):
            candidates += [resource[period].get("end"), resource[period].get("start")]
    for text in candidates:
        moment = _datetime(text)
        if moment is not None:
            return moment
    return None


def _datetime(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    padded = text + "-01-01"[len(text) - 4 :] if len(text) in (4, 7) else text
    try:
        moment = datetime.fromisoformat(padded)
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _date(text: Any) -> date | None:
    moment = _datetime(text)
    return moment.date() if moment else None
