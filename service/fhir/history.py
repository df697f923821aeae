"""Surgical history and the construct: a prior fusion or revision, a three-column osteotomy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .elements import codings, first_time, string
from .reader import Reader


@dataclass(frozen=True)
class Surgery:
    index: int
    planned: bool  # ordered or under way, not yet completed
    when: datetime | None
    codes: frozenset[tuple[str, str]]


def read_history(reader: Reader, on: date) -> dict[str, bool]:
    """Return `prior_spine_surgery` and `three_column_osteotomy` when the record shows them.

    The current fusion is the planned one, else the latest performed; a completed fusion before it,
    or a completed revision, is prior surgery; an osteotomy planned with it, or performed on or after
    its day, is part of its construct."""
    surgeries = _surgeries(reader, on)
    fusions = [s for s in surgeries if reader.terms.fusion.matches(s.codes)]
    current = _current(fusions)
    found: dict[str, bool] = {}
    for surgery in surgeries:
        if _prior(reader, surgery, current):
            found["prior_spine_surgery"] = True
            reader.use("prior_spine_surgery", surgery.index)
        if surgery.codes & reader.terms.osteotomy and current is not None and _with(surgery, current):
            found["three_column_osteotomy"] = True
            reader.use("three_column_osteotomy", surgery.index)
    return found


def _surgeries(reader: Reader, on: date) -> list[Surgery]:
    statuses = reader.terms.table["fusion"]["statuses"]
    found = []
    for index, resource in reader.resources("ServiceRequest", "Procedure"):
        kind, status = resource["resourceType"], string(resource.get("status"))
        if status not in statuses[kind] or not reader.about_patient(index, resource):
            continue
        when = first_time(resource, "performedDateTime", "occurrenceDateTime", "authoredOn")
        if status == "completed" and (when is None or when.date() > on):
            continue  # a completed surgery counts only with a date before the assessment
        found.append(Surgery(index, status != "completed", when, frozenset(codings(resource.get("code")))))
    return found


def _current(fusions: list[Surgery]) -> Surgery | None:
    planned = [f for f in fusions if f.planned]
    done = [f for f in fusions if not f.planned]
    pool = planned or done
    return max(pool, key=lambda f: (f.when or datetime.min, f.index)) if pool else None


def _prior(reader: Reader, surgery: Surgery, current: Surgery | None) -> bool:
    if surgery.planned or surgery is current or surgery.when is None:
        return False
    if surgery.codes & reader.terms.revision:
        return True
    fused = reader.terms.fusion.matches(surgery.codes)
    return fused and current is not None and (current.planned or _before(surgery, current))


def _before(surgery: Surgery, other: Surgery) -> bool:
    return surgery.when is not None and other.when is not None and surgery.when.date() < other.when.date()


def _with(osteotomy: Surgery, current: Surgery) -> bool:
    """An osteotomy is part of the current construct when both are planned, or both performed with
    the osteotomy on or after the fusion's day."""
    return osteotomy.planned == current.planned and (osteotomy.planned or not _before(osteotomy, current))
