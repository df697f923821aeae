"""`_summary.json`: the run's totals, read back from the parts written (so they count what is there)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from service.core import default_model

from .output import REJECTS, SCORES, SUMMARY, write_json
from .reading import BATCH_ROWS


def summarise(
    out: Path, planned: dict[str, Any], done: dict[int, dict[str, Any]], seconds: float, workers: int
) -> dict[str, Any]:
    """Count rows, rejects by reason and tiers per outcome from the parts; write and return the summary."""
    model = default_model()
    ok, tiers, determinate = _tiers(out, model.outcomes)
    reasons: Counter[str] = Counter()
    for batch in _batches(out / REJECTS, ["reason"]):
        reasons.update(batch.column("reason").to_pylist())
    rejected = sum(reasons.values())
    summary = {
        "rows_in": planned["rows"],
        "ok": ok,
        "rejected": rejected,
        "reject_rate": rejected / planned["rows"] if planned["rows"] else 0.0,
        "rejected_by_reason": dict(sorted(reasons.items())),
        "tiers": {
            outcome: {tier: tiers[outcome][tier] for tier, _ in model.tiers} for outcome in model.outcomes
        },
        "determinate": dict(determinate),
        "chunks": len(done),
        "chunk_counts_add_up": all(c["ok"] + c["rejected"] == c["rows_in"] for c in done.values()),
        "seconds": round(seconds, 3),
        "workers": workers,
        "model": planned["model"],
    }
    write_json(out / SUMMARY, summary)
    return summary


def _tiers(out: Path, outcomes: Iterable[str]) -> tuple[int, dict[str, Counter[str]], Counter[str]]:
    """Count the ok rows, their tiers per outcome and the determinate ones."""
    tiers: dict[str, Counter[str]] = {outcome: Counter() for outcome in outcomes}
    determinate: Counter[str] = Counter()
    ok = 0
    for batch in _batches(
        out / SCORES, ["status", *(f"{o}_{n}" for o in tiers for n in ("tier", "determinate"))]
    ):
        rows = batch.to_pydict()
        for position, status in enumerate(rows["status"]):
            if status != "ok":
                continue
            ok += 1
            for outcome in tiers:
                tiers[outcome][rows[f"{outcome}_tier"][position]] += 1
                determinate[outcome] += rows[f"{outcome}_determinate"][position]
    return ok, tiers, determinate


def _batches(folder: Path, columns: list[str]) -> Iterator[pa.RecordBatch]:
    """Read the parts one file and one batch at a time: memory does not grow with the rows."""
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else ():
        parts = pq.ParquetFile(path)  # one thread, as in reading.py
        yield from parts.iter_batches(batch_size=BATCH_ROWS, columns=columns, use_threads=False)
