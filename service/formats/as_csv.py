"""CSV: a list of assessments, one row per patient: its id, then per outcome its points and their
range, its tier and tier range, whether unknowns could change the tier, and the kind of operation
whose typical published rate applies."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .renderer import Renderer

# Per outcome, in order: the column's name (after `<outcome>_`) and where the assessment's outcome
# holds its value. The names are the population output's, so a table from either reads the same.
PER_OUTCOME: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("points", ("points",)),
    ("points_min", ("points_range", "lowest")),
    ("points_max", ("points_range", "highest")),
    ("tier", ("risk",)),
    ("tier_min", ("risk_range", "lowest")),
    ("tier_max", ("risk_range", "highest")),
    ("determinate", ("determinate",)),
    ("typical_rate_class", ("typical_rate", "class", "id")),  # empty: no published rate applies
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell a spreadsheet would run as a formula


@dataclass(frozen=True)
class AssessmentTable:
    """What the CSV renderer renders: the model's outcomes (the columns) and each patient's id and
    assessment (as POST /v1/assessments answers it)."""

    outcomes: Sequence[str]
    rows: Sequence[tuple[str, Mapping[str, Any]]]


def header(outcomes: Sequence[str]) -> list[str]:
    return ["id", *(f"{outcome}_{name}" for outcome in outcomes for name, _ in PER_OUTCOME)]


def row(patient_id: str, assessment: Mapping[str, Any], outcomes: Sequence[str]) -> list[str]:
    values = [_inert(patient_id)]
    for outcome in outcomes:
        for _, path in PER_OUTCOME:
            value: Any = assessment["outcomes"][outcome]
            for key in path:
                value = None if value is None else value[key]
            values.append(_cell(value))
    return values


def _cell(value: Any) -> str:
    """A value as the API's JSON writes it (true, false), nothing for null."""
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _inert(text: str) -> str:
    """An id as text a spreadsheet shows rather than runs (OWASP's CSV injection advice)."""
    return f"'{text}" if text.startswith(FORMULA) else text


def table_csv(table: AssessmentTable) -> bytes:
    """Return the table as CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(table.outcomes))
    writer.writerows(row(patient_id, assessment, table.outcomes) for patient_id, assessment in table.rows)
    return out.getvalue().encode()


AS_CSV = Renderer("text/csv", table_csv)
