"""`population validate`: how the points and tiers separate the outcomes that happened (TRIPOD's
validation items), per outcome. Never a probability or calibration the model does not have."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from service.core import default_model

from .rates_by_class import rates_by_class
from .stats import cochran_armitage, delong, odds_ratio_per_point, wilson

METRICS_SCHEMA = "spinal-fusion-risk/validation-metrics"
METRICS_VERSION = 1
REFUSE_BELOW, WARN_BELOW = 10, 100  # events
SMALL_CELL, FEW_EVENTS = 10, 5  # subgroup cells with fewer rows or events are suppressed


def analyse(
    table: pa.Table, outcome: str, events: list[int | None], by: list[str], rows_in: int
) -> dict[str, Any]:
    """Return one outcome's counts, primary analysis, sensitivity analyses and subgroups."""
    ok = np.array([s == "ok" for s in table.column("status").to_pylist()], dtype=bool)
    known = np.array([e is not None for e in events], dtype=bool)
    matched = ok & known
    y = np.array([e or 0 for e in events], dtype=np.int8)
    points = {name: _numbers(table, f"{outcome}_{name}") for name in ("points", "points_min", "points_max")}
    tiers = {
        name: np.array(table.column(f"{outcome}_{name}").to_pylist(), dtype=object) for name in TIER_COLUMNS
    }
    determinate = matched & np.array([bool(d) for d in table.column(f"{outcome}_determinate").to_pylist()])
    counts = _counts(rows_in, ok, known, determinate, y)
    n_events, n_matched = counts["events"], counts["matched"]
    result: dict[str, Any] = {"counts": counts, "warnings": []}
    if min(n_events, n_matched - n_events) < REFUSE_BELOW:
        result["refused"] = (
            f"{n_events} events, {n_matched - n_events} non-events: {REFUSE_BELOW} of each needed"
        )
        return result
    if n_events < WARN_BELOW:
        result["warnings"].append(
            f"Only {n_events} events: fewer than {WARN_BELOW}, so every figure is imprecise."
        )
    result["primary"] = separation(points["points"][determinate], tiers["tier"][determinate], y[determinate])
    result["sensitivity"] = {
        "at_points_min": separation(points["points_min"][matched], tiers["tier_min"][matched], y[matched]),
        "at_points_max": separation(points["points_max"][matched], tiers["tier_max"][matched], y[matched]),
    }
    result["by_operation"] = rates_by_class(table, outcome, matched, y)
    result["subgroups"] = {
        name: subgroups(table.column(name).to_pylist(), matched, points["points"], y) for name in by
    }
    return result


TIER_COLUMNS = ("tier", "tier_min", "tier_max")


def _counts(
    rows_in: int, ok: np.ndarray, known: np.ndarray, determinate: np.ndarray, y: np.ndarray
) -> dict[str, Any]:
    """TRIPOD's flow of participants: in, rejected, scored, matched to an outcome, events."""
    matched = ok & known
    n_events, n_matched = int(y[matched].sum()), int(matched.sum())
    return {
        "rows_in": rows_in,
        "rejected": rows_in - int(ok.sum()),
        "scored": int(ok.sum()),
        "matched": n_matched,
        "unmatched": int((ok & ~known).sum()),
        "events": n_events,
        "prevalence": n_events / n_matched if n_matched else None,
        "determinate": int(determinate.sum()),
        "indeterminate": int((matched & ~determinate).sum()),
    }


def _columns(table: pa.Table, outcome: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """An outcome's points (null as -1: only ok rows are analysed) and tiers, as arrays."""
    points = {name: _numbers(table, f"{outcome}_{name}") for name in ("points", "points_min", "points_max")}
    tiers = {
        name: np.array(table.column(f"{outcome}_{name}").to_pylist(), dtype=object) for name in TIER_COLUMNS
    }
    return points, tiers


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    return np.array([-1 if v is None else v for v in table.column(name).to_pylist()], dtype=float)


def separation(points: np.ndarray, tiers: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """The AUC of the points (DeLong 95 % interval), the observed rate per tier (Wilson), the trend
    across tiers, and the observed odds ratio per point against the one the table states."""
    found: dict[str, Any] = {"n": len(y), "events": int(y.sum())}
    if y.sum() < REFUSE_BELOW or len(y) - y.sum() < REFUSE_BELOW:
        return {**found, "refused": f"at least {REFUSE_BELOW} events and non-events are needed"}
    model = default_model()
    auc, low, high = delong(points.astype(float), y)
    found["auc"] = {"value": auc, "ci95": [low, high], "method": "DeLong, midranks"}
    counted = [(tier, int((tiers == tier).sum()), int(y[tiers == tier].sum())) for tier, _ in model.tiers]
    found["tiers"] = [
        {"tier": tier, "n": n, "events": k, "rate": k / n if n else None, "ci95": list(wilson(k, n))}
        for tier, n, k in counted
    ]
    z, p = cochran_armitage([k for _, _, k in counted], [n for _, n, _ in counted])
    found["trend"] = {"method": "Cochran–Armitage, tiers scored 0, 1, 2", "z": z, "p": p}
    stated = model.document["method"]["odds_ratio_per_point"]
    ratio, low, high = odds_ratio_per_point(points, y)
    found["odds_ratio_per_point"] = {
        "observed": ratio,
        "ci95": [low, high],
        "stated": stated,
        "stated_within_ci95": low <= stated <= high,
    }
    return found


def subgroups(
    values: list[Any], matched: np.ndarray, points: np.ndarray, y: np.ndarray
) -> list[dict[str, Any]]:
    """Per value of a column: rows, events and AUC; cells under SMALL_CELL rows or FEW_EVENTS events (or
    non-events) are suppressed: their counts are shown as `<10` or `<5`, no AUC."""
    found = []
    labels = np.array(["" if v is None else str(v) for v in values], dtype=object)
    for label in sorted(set(labels[matched])):
        here = matched & (labels == label)
        n, k = int(here.sum()), int(y[here].sum())
        if n < SMALL_CELL or min(k, n - k) < FEW_EVENTS:
            found.append(
                {
                    "value": label,
                    "suppressed": True,
                    "n": f"<{SMALL_CELL}" if n < SMALL_CELL else n,
                    "events": f"<{FEW_EVENTS}" if k < FEW_EVENTS else k,
                }
            )
            continue
        auc, low, high = delong(points[here].astype(float), y[here])
        found.append(
            {
                "value": label,
                "suppressed": False,
                "n": n,
                "events": k,
                "auc": {"value": auc, "ci95": [low, high]},
            }
        )
    return found
