"""Scores as CSV: the columns a reader needs (line or id, status, reason, and per outcome the tier, its
range, the points and theirs), written by the service's one CSV renderer (service/formats/as_csv.py:
the same dialect, cells and formula-safe text as the API's CSV)."""

from __future__ import annotations

import pyarrow as pa

from service.core import default_model
from service.formats import AS_CSV, Table

from .scorer import SCORES

LEADING = ("line", "patient_id", "id", "status", "reason", "message")


def scores_csv(table: pa.Table) -> bytes:
    """Return the table's scores as CSV (a header line, booleans as true/false, nothing for null)."""
    named = [f"{outcome}_{name}" for outcome in default_model().outcomes for name, _ in SCORES]
    columns = [name for name in (*LEADING, *named) if name in table.column_names]
    cells = [table.column(name).to_pylist() for name in columns]
    return AS_CSV.render(Table(columns, zip(*cells, strict=True)))
