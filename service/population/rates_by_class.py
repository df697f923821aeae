"""`validate`'s observed rate per kind of operation (typical-rate class), beside the typical published
range the model table holds for it: the published range describes the operation, not a patient."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from service.core import default_model

from .scorer import RATE_CLASS
from .stats import wilson

SMALL_CELL, FEW_EVENTS = 10, 5  # as the subgroups: fewer rows or events are suppressed


def rates_by_class(
    table: pa.Table, outcome: str, matched: np.ndarray, y: np.ndarray
) -> dict[str, Any] | None:
    """Per class of the table: matched rows, events, the observed rate (Wilson 95 %) and the published
    ranges (per 100; two when they depend on bone quality or rods); None for scores without classes."""
    if RATE_CLASS not in table.column_names:
        return None
    typical = default_model().typical
    classes = np.array(table.column(RATE_CLASS).to_pylist(), dtype=object)
    found = []
    for rate_class in typical.classes:
        here = matched & (classes == rate_class.id)
        n, k = int(here.sum()), int(y[here].sum())
        rows = (typical.rates[i] for i in typical.by_class.get((rate_class.id, outcome), ()))
        published = [{"low": rate.low, "high": rate.high} for rate in rows if rate.low is not None]
        entry: dict[str, Any] = {
            "class": rate_class.id,
            "label": rate_class.label,
            "n": n,
            "published": published,
        }
        if n < SMALL_CELL or min(k, n - k) < FEW_EVENTS:
            entry |= {"suppressed": True, "events": f"<{FEW_EVENTS}" if k < FEW_EVENTS else k}
        else:
            entry |= {"suppressed": False, "events": k, "rate": k / n, "ci95": list(wilson(k, n))}
        found.append(entry)
    unclassed = matched & np.array([c is None for c in classes])
    return {"label": typical.label, "per": typical.per, "classes": found, "no_class": int(unclassed.sum())}
