"""The output folder of `population score`: `_manifest.json` first, Parquet parts (zstd) written under a
temporary name and renamed, a `_done/` marker per chunk, `_summary.json` last."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST, SUMMARY, DONE, SCORES, REJECTS = "_manifest.json", "_summary.json", "_done", "scores", "rejects"
REJECT_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("source_row", pa.int64()),
        pa.field("reason", pa.string()),
        pa.field("field", pa.string()),
        pa.field("message", pa.string()),
        pa.field("record", pa.string()),
    ]
)


def write_json(path: Path, document: Any) -> None:
    """Write a JSON file whole or not at all (a temporary name, then a rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def part_name(number: int) -> str:
    return f"part-{number:06d}.parquet"


class PartWriter:
    """One chunk's part file, written batch by batch under a temporary name; `close` renames it."""

    def __init__(self, folder: Path, number: int, schema: pa.Schema) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.final = folder / part_name(number)
        self.temporary = folder / f".{self.final.name}.tmp"
        self.writer = pq.ParquetWriter(self.temporary, schema, compression="zstd")
        self.rows = 0

    def write(self, table: pa.Table | pa.RecordBatch) -> None:
        if table.num_rows:
            self.writer.write(table)
            self.rows += table.num_rows

    def close(self) -> int:
        self.writer.close()
        os.replace(self.temporary, self.final)
        return self.rows


def mark_done(out: Path, number: int, counts: dict[str, Any]) -> None:
    (out / DONE).mkdir(exist_ok=True)
    write_json(out / DONE / f"chunk-{number:06d}.json", counts)


def done_chunks(out: Path) -> dict[int, dict[str, Any]]:
    """Return the counts of every chunk marked done."""
    folder = out / DONE
    if not folder.is_dir():
        return {}
    return {int(p.stem.split("-")[1]): read_json(p) for p in folder.glob("chunk-*.json")}


def clear_temporaries(out: Path) -> None:
    """Remove what an interrupted run left half-written (parts and markers are renamed when whole)."""
    for path in out.rglob(".*.tmp"):
        path.unlink()
