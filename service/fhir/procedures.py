"""The planned or performed fusion (ServiceRequest or Procedure): levels, region, sacrum, approach."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from .anatomy import fusion_span
from .elements import codings, concept_text, first_time, objs, string
from .reader import Reader


def fusions(reader: Reader) -> Iterator[tuple[int, Mapping[str, Any], str | None]]:
    """Yield (index, resource, status) of each spinal-fusion ServiceRequest or Procedure whose
    status the mapping counts (planned, under way or completed)."""
    statuses = reader.terms.table["fusion"]["statuses"]
    for index, resource in reader.resources("ServiceRequest", "Procedure"):
        status = string(resource.get("status"))
        if status in statuses[resource["resourceType"]] and reader.terms.fusion.matches(
            codings(resource.get("code"))
        ):
            yield index, resource, status


def read_fusion(reader: Reader, levels_fused: int | None, on: date) -> dict[str, Any]:
    """Return the levels, region, sacrum and approach of the fusion read (the latest with a readable
    vertebral range, else the latest), and the days since the latest one performed; the caller's
    `levels_fused` wins over the bundle's."""
    table = reader.terms.table["fusion"]
    candidates = []
    for index, resource, _ in fusions(reader):
        text = " ".join(concept_text(c) for c in [resource.get("code"), *objs(resource.get("bodySite"))])
        span = fusion_span(text, table["sacrum_words"], table["regions"])
        if span is None:
            reader.ignore(index, "spinal fusion without a readable vertebral range", "information")
        if reader.about_patient(index, resource):
            when = first_time(resource, "authoredOn", "occurrenceDateTime", "performedDateTime")
            candidates.append((span is not None, when or datetime.min, index, span or {}, resource))
    found: dict[str, Any] = {}
    if candidates:
        *_, index, span, resource = max(candidates, key=lambda candidate: candidate[:3])
        approach = reader.terms.approach(codings(resource.get("code")))
        found.update({**span, **({"approach": approach} if approach else {})})
        for name in found:
            reader.use(name, index)
    if levels_fused is not None:
        found["levels_fused"] = levels_fused  # the caller's parameter wins
        reader.sources.pop("levels_fused", None)
    found.update(_days_since_surgery(reader, on))
    return found


def _days_since_surgery(reader: Reader, on: date) -> dict[str, int]:
    """Days since the latest completed fusion performed on or before `on` (for the symptom review);
    none while another fusion is planned or under way (the patient is before that surgery)."""
    found = list(fusions(reader))
    if any(status != "completed" for _, _, status in found):
        return {}
    done = []
    for index, resource, _ in found:
        performed = first_time(resource, "performedDateTime")
        if performed is not None and performed.date() <= on and reader.about_patient(index, resource):
            done.append((performed, index))
    if not done:
        return {}
    performed, index = max(done)
    reader.use("days_since_surgery", index)
    return {"days_since_surgery": (on - performed.date()).days}


def planned_or_recent_fusion(reader: Reader, on: date) -> bool:
    """Tell whether the patient has a spinal fusion planned, under way, or performed within the
    mapping's `recent_days` of `on` (what makes a patient-view card worth showing)."""
    recent_days = reader.terms.table["fusion"]["recent_days"]
    for index, resource, status in fusions(reader):
        if status == "completed":
            performed = first_time(resource, "performedDateTime")
            if performed is None or not 0 <= (on - performed.date()).days <= recent_days:
                continue
        if reader.about_patient(index, resource):
            return True
    return False
