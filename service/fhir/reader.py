"""The state of reading one Bundle: its entries by type, the Patient, and what was used or ignored."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from .elements import obj, reference, string
from .terminology import Terminology


class Reader:
    """Entries by resource type, with the bookkeeping every rule shares: which entry gave which
    input (`sources`, `used`), and what was ignored and why (`issues`)."""

    def __init__(self, bundle: Mapping[str, Any], terms: Terminology) -> None:
        self.terms = terms
        self.entries = [obj(entry) for entry in bundle.get("entry") or ()]
        self.by_type: dict[str, list[tuple[int, Mapping[str, Any]]]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            resource = obj(entry.get("resource"))
            self.by_type[string(resource.get("resourceType")) or ""].append((index, resource))
        self.patient_index, self.patient = self.by_type["Patient"][0]  # the schema: exactly one
        self.patient_keys = {
            self.reference(self.patient_index),
            string(self.entries[self.patient_index].get("fullUrl")),
        }
        self.patient_keys.discard(None)
        self.used: dict[int, None] = {}  # entry indexes used, in order
        self.sources: dict[str, list[int]] = defaultdict(list)
        self.issues: list[dict[str, Any]] = []

    def use(self, name: str, index: int) -> None:
        """Record that entry `index` gave the input `name`."""
        self.used[index] = None
        self.sources[name].append(index)

    def ignore(self, index: int, why: str, severity: str = "warning") -> None:
        """Report an entry the reading left out, and why."""
        issue: dict[str, Any] = {"severity": severity, "code": "informational", "diagnostics": why}
        issue["expression"] = [f"Bundle.entry[{index}].resource"]
        if issue not in self.issues:  # several rules may read the same entry: report it once
            self.issues.append(issue)

    def reference(self, index: int) -> str | None:
        """Return how the entry is referenced: `Type/id`, else its fullUrl (None when it has neither)."""
        resource = obj(self.entries[index].get("resource"))
        kind, ident = string(resource.get("resourceType")), string(resource.get("id"))
        if kind and ident:
            return f"{kind}/{ident}"
        return string(self.entries[index].get("fullUrl")) or None

    def about_patient(self, index: int, resource: Mapping[str, Any]) -> bool:
        """Tell whether a resource is about the Patient (no subject: assumed so); report it if not."""
        subject = reference(resource.get("subject")) or reference(resource.get("patient"))
        if (
            subject is None
            or subject in self.patient_keys
            or same_resource(subject, self.reference(self.patient_index))
        ):
            return True
        self.ignore(index, f"it is about {subject[:100]}, not this bundle's Patient; ignored")
        return False

    def resources(self, *types: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
        for resource_type in types:
            yield from self.by_type.get(resource_type, ())

    def find(self, target: str | None, resource_type: str) -> Mapping[str, Any] | None:
        """Return the resource of `resource_type` a reference points at (by `Type/id` or fullUrl)."""
        for index, resource in self.resources(resource_type):
            if target is not None and target in (
                self.reference(index),
                string(self.entries[index].get("fullUrl")),
            ):
                return resource
        return None


VERSION = re.compile(r"/_history/[^/]+$")


def same_resource(found: str, relative: str | None) -> bool:
    """Tell whether a reference is `Type/id` itself or its absolute form on a FHIR server
    (`https://ehr.example/fhir/Type/id`), as EHR exports often write them; a version of it
    (`Type/id/_history/2`) is the same resource."""
    found = VERSION.sub("", found)
    if relative is None or relative.startswith(("urn:", "http:", "https:")):
        return found == relative
    return found == relative or (found.startswith(("http://", "https://")) and found.endswith(f"/{relative}"))
