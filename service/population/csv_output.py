"""Scores as CSV: the columns a reader needs (line or id, status, reason, and per outcome the tier, its
range, the points and theirs), one small function that a media-type renderer can take over."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pcsv

from service.core import default_model

from .scorer import SCORES

LEADING = ("line", "patient_id", "id", "status", "reason", "message")


def scores_csv(table: pa.Table) -> bytes:
    """Return the table's scores as CSV text (UTF-8, a header line, booleans as true/false)."""
    named = [f"{outcome}_{name}" for outcome in default_model().outcomes for name, _ in SCORES]
    columns = [name for name in (*LEADING, *named) if name in table.column_names]
    buffer = io.BytesIO()
    pcsv.write_csv(table.select(columns), buffer)
    return buffer.getvalue()
