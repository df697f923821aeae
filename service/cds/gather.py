"""Gather a CDS Hooks call's FHIR data: the prefetch, and what is missing from the FHIR server."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from marshmallow import ValidationError

from schemas.fhir_bundle import MAX_BUNDLE_ENTRIES, RESOURCE
from schemas.fields import JsonSchemaCheck
from schemas.json_object import NotAJsonObject, json_object

from .discovery import PATIENT
from .fetch import AllowList, Base, FetchError, bounded_get, parse_base

log = logging.getLogger(__name__)
_resource = JsonSchemaCheck(RESOURCE, limit=1)


@dataclass(frozen=True)
class Limits:
    """What one hook call may spend on the FHIR server."""

    timeout: float  # seconds per request, all of it
    budget: float  # seconds for every request of the call
    max_bytes: int  # per response
    max_total_bytes: int  # for every response of the call
    max_depth: int  # JSON nesting
    max_pages: int  # pages followed per query (Bundle.link next)


@dataclass
class Fetched:
    """What was fetched, by prefetch key, and why anything may be missing (a fixed set of reasons)."""

    values: dict[str, Any] = field(default_factory=dict)
    incomplete: set[str] = field(default_factory=set)


class Fetcher:
    """Fetch prefetch queries from the EHR's FHIR server within the call's limits; never raises."""

    def __init__(self, allowed: AllowList, limits: Limits) -> None:
        self.allowed = allowed
        self.limits = limits

    def fetch(self, server: str, token: str | None, queries: Mapping[str, str]) -> Fetched:
        """Return the values of the queries answered in time and within the caps."""
        fetched = Fetched()
        grant = self.allowed.address(server) if queries else None
        if grant is None:
            if queries:
                fetched.incomplete.add("not_allowed")
            return fetched
        base, address = grant
        headers = {"Accept": "application/fhir+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        call = _Call(base, address, headers, self.limits, fetched)
        for key, query in queries.items():
            value = call.search(f"{server.rstrip('/')}/{query}")
            if value is not None:
                fetched.values[key] = value
        if fetched.incomplete:
            log.warning("fhir fetch incomplete", extra={"reasons": sorted(fetched.incomplete)})
        return fetched


class _Call:
    """The requests of one hook call, sharing its deadline and byte budget."""

    def __init__(
        self, base: Base, address: str | None, headers: dict, limits: Limits, fetched: Fetched
    ) -> None:
        self.base, self.address, self.headers, self.limits = base, address, headers, limits
        self.fetched = fetched
        self.deadline = time.monotonic() + limits.budget
        self.spent = 0

    def search(self, url: str) -> Any:
        """GET a URL and the pages after it (same server, within the limits); None if nothing came."""
        first = self._get(url)
        if not (isinstance(first, dict) and first.get("resourceType") == "Bundle"):
            return first
        entries = [e for e in first.get("entry") or () if isinstance(e, dict)]
        page = first
        for _ in range(self.limits.max_pages - 1):
            following = _next_link(page)
            if following is None or len(entries) >= MAX_BUNDLE_ENTRIES:
                break
            page = self._get(following)
            if not isinstance(page, dict):
                break
            entries += [e for e in page.get("entry") or () if isinstance(e, dict)]
        else:
            if _next_link(page) is not None:
                self.fetched.incomplete.add("pages")
        if len(entries) > MAX_BUNDLE_ENTRIES:
            self.fetched.incomplete.add("entries")
        return {**first, "entry": entries[:MAX_BUNDLE_ENTRIES]}

    def _get(self, url: str) -> Any:
        parts = urlsplit(url)
        try:
            target = parse_base(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
        except ValueError:
            target = None
        if target is None or not self.base.contains(target):  # the token never leaves the base
            self.fetched.incomplete.add("link")
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        deadline = min(self.deadline, time.monotonic() + self.limits.timeout)
        cap = min(self.limits.max_bytes, self.limits.max_total_bytes - self.spent)
        try:
            body = bounded_get(self.base, path, self.headers, deadline, cap, self.address)
            self.spent += len(body)
            return json_object(body, self.limits.max_depth)
        except (NotAJsonObject, ValidationError):  # not JSON, too deep, a field given twice
            self.fetched.incomplete.add("malformed")
        except FetchError as error:
            self.fetched.incomplete.add(error.reason)
        return None


def _next_link(bundle: Mapping[str, Any]) -> str | None:
    for link in bundle.get("link") or ():
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return link["url"]
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
    return found if trusted else [r for r in found if not _resource.errors(r)]
