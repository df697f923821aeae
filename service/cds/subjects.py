"""The context patient's data: the resources of a CDS Hooks call whose subject names that patient
by a literal reference, and how many were left out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


def patient_bundle(
    resources: list[dict[str, Any]], patient_id: str, server: str | None = None
) -> tuple[dict[str, Any], int]:
    """Return a Bundle of the context's Patient (a bare one when none was sent) and the resources
    about them, and how many resources were left out because they do not name that patient by a
    literal reference (`Patient/<id>`, a version of it, or the same on the call's FHIR `server`):
    another patient's, or one naming its subject by identifier or display only, or not at all."""
    kept, ignored = [], 0
    patient = None
    for resource in resources:
        kind = resource.get("resourceType")
        if kind == "Patient":
            if resource.get("id") == patient_id and patient is None:
                patient = resource
            else:
                ignored += 1
        elif kind in ABOUT_NO_PATIENT or _names(resource, patient_id, server):
            kept.append(resource)
        else:
            ignored += 1
    patient = patient or {"resourceType": "Patient", "id": patient_id}
    entries = [{"resource": patient}] + [{"resource": r} for r in kept]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}, ignored


# Resources about no patient that the reader uses: a medication a statement or request refers to
# (prefetch `_include`s them).
ABOUT_NO_PATIENT = frozenset({"Medication"})
PATIENT_REFERENCE = re.compile(r"Patient/([A-Za-z0-9\-.]{1,64})(?:/_history/[A-Za-z0-9\-.]{1,64})?")


def _names(resource: Mapping[str, Any], patient_id: str, server: str | None) -> bool:
    """Whether the resource's subject (or patient) is a literal reference to the context patient."""
    subject = _subject(resource)
    if subject is None:
        return False
    base = f"{server.rstrip('/')}/" if server else None
    if base and subject.startswith(base):
        subject = subject[len(base) :]
    found = PATIENT_REFERENCE.fullmatch(subject)
    return found is not None and found[1] == patient_id


def _subject(resource: Mapping[str, Any]) -> str | None:
    for name in ("subject", "patient"):
        value = resource.get(name)
        if isinstance(value, dict):
            return value["reference"] if isinstance(value.get("reference"), str) else None
    return None
