"""CSV: a table, a header line naming its columns and a line per row (RFC 4180), every cell as the
API's JSON writes it and no text a spreadsheet would run as a formula. Two tables are rendered: a list of
assessments (`assessment_table`: an id, then per outcome its points and their range, its tier and tier
range, whether unknowns could change the tier, and the kind of operation whose typical published rate
applies) and the population core's scores (service/population/csv_output.py), whose columns share
these names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
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
class Table:
    """What the CSV renderer renders: the column names, and the rows, each a cell per column (text, a
    number, a boolean or None)."""

    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]


def assessment_table(outcomes: Sequence[str], assessments: Iterable[tuple[str, Mapping[str, Any]]]) -> Table:
    """A table of assessments (as POST /v1/assessments answers them), one row per patient id."""
    header = ["id", *(f"{outcome}_{name}" for outcome in outcomes for name, _ in PER_OUTCOME)]
    return Table(header, [row(patient_id, assessment, outcomes) for patient_id, assessment in assessments])


def row(patient_id: str, assessment: Mapping[str, Any], outcomes: Sequence[str]) -> list[Any]:
    values: list[Any] = [patient_id]
    for outcome in outcomes:
        for _, path in PER_OUTCOME:
            value: Any = assessment["outcomes"][outcome]
            for key in path:
                value = None if value is None else value[key]
            values.append(value)
    return values


def cell(value: Any) -> str:
    """A value as the API's JSON writes it (true, false), nothing for null; text as text a spreadsheet
    shows rather than runs (OWASP's CSV injection advice: a leading quote), numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA) else value
    return str(value)


def table_csv(table: Table) -> bytes:
    """Return the table as CSV (RFC 4180: comma-separated, CRLF line ends, quoted where needed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([cell(value) for value in values] for values in table.rows)
    return out.getvalue().encode()


AS_CSV = Renderer("text/csv", table_csv)
