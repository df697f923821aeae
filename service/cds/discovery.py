"""The CDS Hooks services this API offers, and their prefetch templates (from the FHIR mapping)."""

from __future__ import annotations

from typing import Any

from ..fhir import Terminology

PATIENT = "{{context.patientId}}"
PATIENT_VIEW = "spinal-fusion-risk"
ORDER_SELECT = "spinal-fusion-risk-order"


def prefetch_templates(terms: Terminology, with_orders: bool) -> dict[str, str]:
    """Return FHIR queries for exactly the data the mapping reads."""
    codes = sorted({f"{system}|{code}" for c in terms.observations.values() for system, code in c.codes})
    statuses = ",".join(terms.table["steroids"]["statuses"])
    templates = {
        "patient": f"Patient/{PATIENT}",
        "observations": f"Observation?patient={PATIENT}&code={','.join(codes)}",
        "conditions": f"Condition?patient={PATIENT}",
        "medicationStatements": (
            f"MedicationStatement?patient={PATIENT}&status={statuses}&_include=MedicationStatement:medication"
        ),
        "medicationRequests": (
            f"MedicationRequest?patient={PATIENT}&status={statuses}&_include=MedicationRequest:medication"
        ),
    }
    if with_orders:  # patient-view: the planned fusion is on the record; order-select: in the context
        fusion = terms.table["fusion"]["statuses"]
        templates["serviceRequests"] = (
            f"ServiceRequest?patient={PATIENT}&status={','.join(fusion['ServiceRequest'])}"
        )
        templates["procedures"] = f"Procedure?patient={PATIENT}&status={','.join(fusion['Procedure'])}"
    return templates


def discovery(terms: Terminology, title: str) -> dict[str, Any]:
    """Return the CDS Hooks discovery document."""
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": PATIENT_VIEW,
                "title": title,
                "description": "Risk of non-union and hardware failure after spinal fusion, with the "
                "factors behind it and what the patient can change. One card per outcome.",
                "prefetch": prefetch_templates(terms, with_orders=True),
            },
            {
                "hook": "order-select",
                "id": ORDER_SELECT,
                "title": f"{title}, at the fusion order",
                "description": "When a spinal fusion is ordered: the same risk, using the levels and "
                "region of the draft order.",
                "prefetch": prefetch_templates(terms, with_orders=False),
            },
        ]
    }
