"""One chunk's work, as a worker process does it: read its own slice, score it, write its parts, count."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .output import REJECT_SCHEMA, REJECTS, SCORES, PartWriter
from .reading import ReaderReject, read_chunk
from .scorer import REJECT_COLUMNS, REJECTED, SOURCE_ROW, PopulationScorer
from .sources import Chunk

DETAILS = REJECT_COLUMNS[1:]  # field, message, record: in the rejects only (the reason is in both)


@dataclass(frozen=True)
class Task:
    """What crosses a process boundary: where to read, what to carry and where to write; never rows."""

    chunk: Chunk
    out: str
    columns: tuple[str, ...]  # read from the source: the inputs it has, the id and the kept columns
    id_col: str | None
    keep: tuple[str, ...]
    header: tuple[str, ...] = ()  # a CSV's columns, in order


@cache
def scorer_for(id_col: str | None, keep: tuple[str, ...]) -> PopulationScorer:
    """One scorer per worker process and options (the model and loader built once)."""
    return PopulationScorer(id_col, keep)


def run_chunk(task: Task) -> dict[str, Any]:
    """Score one chunk into its parts; return its counts (rows in, ok, rejected)."""
    scorer = scorer_for(task.id_col, task.keep)
    out = Path(task.out)
    scores: PartWriter | None = None
    rejects = PartWriter(out / REJECTS, task.chunk.number, REJECT_SCHEMA)
    ok = 0
    for batch, unread in read_chunk(task.chunk, list(task.columns), task.header):
        scored = scorer(batch)
        kept = scored.select([name for name in scored.schema.names if name not in DETAILS])
        scores = scores or PartWriter(out / SCORES, task.chunk.number, kept.schema)
        scores.write(kept)
        ok += (
            scored.num_rows - pc.sum(pc.equal(scored.column("status"), REJECTED)).as_py()
            if scored.num_rows
            else 0
        )
        rejects.write(_rejected(scored, batch, task))
        rejects.write(_unread(unread, task.chunk.path))
    written = scores.close() if scores else 0
    rejected = rejects.close()
    pa.default_memory_pool().release_unused()  # a long run's memory stays that of one chunk
    return {"rows_in": task.chunk.rows, "ok": ok, "rejected": rejected, "scores_rows": written}


def _rejected(scored: pa.RecordBatch, batch: pa.RecordBatch, task: Task) -> pa.Table:
    mask = pc.equal(scored.column("status"), REJECTED)
    rows = scored.filter(mask)
    ids = rows.column(task.id_col).cast(pa.string()) if task.id_col else pa.nulls(rows.num_rows, pa.string())
    columns = {
        "id": ids,
        "source_file": pa.array([task.chunk.path] * rows.num_rows, pa.string()),
        "source_row": batch.column(SOURCE_ROW).filter(mask),
        **{name: rows.column(name) for name in REJECT_COLUMNS},
    }
    return pa.Table.from_pydict(columns, schema=REJECT_SCHEMA)


def _unread(unread: list[ReaderReject], path: str) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in REJECT_SCHEMA.names}
    for reject in unread:
        for name, value in zip(REJECT_SCHEMA.names, (None, path, *reject[:2], "", *reject[2:]), strict=True):
            columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=REJECT_SCHEMA)
