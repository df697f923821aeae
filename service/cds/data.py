"""Gather a CDS Hooks call's FHIR data: the prefetch, and what is missing from the FHIR server."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from jsonschema import Draft202012Validator

from schemas.fhir import RESOURCE

from .services import PATIENT

log = logging.getLogger(__name__)
_resource = Draft202012Validator(RESOURCE)


class Fetcher:
    """Fetch prefetch queries from the EHR's FHIR server: timeouts, one try each, a time budget."""

    def __init__(self, allowed: tuple[str, ...], timeout: float, budget: float) -> None:
        self.allowed = allowed  # base URL prefixes; "*" allows any http(s) server
        self.timeout = timeout
        self.budget = budget

    def permits(self, server: str) -> bool:
        if not server.startswith(("http://", "https://")):
            return False
        return "*" in self.allowed or any(server.startswith(prefix) for prefix in self.allowed)

    def fetch(self, server: str, token: str | None, queries: Mapping[str, str]) -> dict[str, Any]:
        """Return {key: resource} for the queries answered in time; the rest stay missing."""
        if not queries or not self.permits(server):
            return {}
        headers = {"Accept": "application/fhir+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        deadline = time.monotonic() + self.budget
        found = {}
        with requests.Session() as session:
            for key, query in queries.items():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("fhir fetch budget spent", extra={"skipped": key})
                    break
                found[key] = self._get(
                    session, f"{server.rstrip('/')}/{query}", headers, min(self.timeout, remaining)
                )
        return {key: value for key, value in found.items() if value is not None}

    def _get(self, session: requests.Session, url: str, headers: dict[str, str], timeout: float) -> Any:
        try:
            response = session.get(url, headers=headers, timeout=timeout, allow_redirects=False)
            if response.status_code != 200:
                log.warning("fhir fetch failed", extra={"status": response.status_code})
                return None
            return response.json()
        except (requests.RequestException, ValueError) as error:
            log.warning("fhir fetch failed", extra={"error": type(error).__name__})
            return None


def missing_queries(
    templates: Mapping[str, str], prefetch: Mapping[str, Any], patient_id: str
) -> dict[str, str]:
    """Return the prefetch queries the EHR did not answer, for this patient."""
    return {
        key: template.replace(PATIENT, quote(patient_id, safe=""))
        for key, template in templates.items()
        if prefetch.get(key) is None
    }


def resources_of(value: Any, trusted: bool = True) -> list[dict[str, Any]]:
    """Return the resources of a prefetch value (a resource or a search Bundle).

    Untrusted values (fetched by us, not sent by the caller) lose any resource that does not
    fit the published schema, instead of failing the call.
    """
    if not isinstance(value, dict):
        return []
    found = [value]
    if value.get("resourceType") == "Bundle":
        found = [
            e["resource"]
            for e in value.get("entry") or ()
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    return found if trusted else [r for r in found if _resource.is_valid(r)]


def patient_bundle(resources: list[dict[str, Any]], patient_id: str) -> dict[str, Any]:
    """Return a Bundle with exactly one Patient (the context's, or a bare one) and the rest."""
    patients = [r for r in resources if r.get("resourceType") == "Patient"]
    patient = next((p for p in patients if p.get("id") == patient_id), None)
    patient = patient or (patients[0] if patients else {"resourceType": "Patient", "id": patient_id})
    entries = [{"resource": patient}] + [
        {"resource": r} for r in resources if r.get("resourceType") != "Patient"
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
