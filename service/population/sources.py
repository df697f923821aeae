"""The inputs of `population score`: CSV (every column as text), Parquet, or a features NDJSON; their
columns checked once, their rows split into chunks (work descriptors: where to read, never the rows)."""

from __future__ import annotations

import csv
import glob
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .records import records

KINDS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".ndjson": "ndjson", ".jsonl": "ndjson"}
BOM = b"\xef\xbb\xbf"


class InputError(ValueError):
    """An input cannot be read as a whole (exit 2): the message names the file and the column."""


@dataclass(frozen=True)
class Source:
    path: str
    kind: str
    columns: tuple[str, ...]  # CSV: the header; Parquet: the schema's; NDJSON: found per row
    types: dict[str, pa.DataType]  # Parquet only
    size: int
    mtime_ns: int
    header_bytes: int = 0  # CSV: where the rows start (after the header line)


@dataclass(frozen=True)
class Chunk:
    """A work descriptor: `rows` records of one file, from a byte offset (text) or row groups (Parquet)."""

    number: int
    path: str
    kind: str
    rows: int
    first_row: int  # the source row of its first record: a line number (text), a row number (Parquet)
    offset: int = 0
    row_groups: tuple[int, ...] = ()


def expand(inputs: list[str]) -> list[str]:
    """Return the files the arguments name: files, folders (their Parquet files) and globs, in order."""
    found: list[str] = []
    for item in inputs:
        if os.path.isdir(item):
            matched = sorted(str(p) for p in Path(item).rglob("*") if p.suffix in (".parquet", ".pq"))
        else:
            matched = sorted(glob.glob(item)) if glob.has_magic(item) else [item]
        if not matched:
            raise InputError(f"{item}: no such file, or nothing it names")
        found += [path for path in matched if path not in found]
    return found


def open_source(path: str) -> Source:
    """Read a file's kind and columns; raise InputError when it cannot be read at all."""
    kind = KINDS.get(Path(path).suffix.lower())
    if kind is None:
        raise InputError(f"{path}: not a .csv, .parquet or .ndjson file")
    try:
        stat = os.stat(path)
        if kind == "parquet":
            schema = pq.read_schema(path)
            return Source(path, kind, tuple(schema.names), dict(zip(schema.names, schema.types, strict=True)),
                          stat.st_size, stat.st_mtime_ns)  # fmt: skip
        header, size = _csv_header(path) if kind == "csv" else ((), 0)
        return Source(path, kind, header, {}, stat.st_size, stat.st_mtime_ns, size)
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    except (pa.ArrowInvalid, pa.ArrowException) as error:
        raise InputError(f"{path}: not a readable Parquet file ({str(error)[:200]})") from None


def _csv_header(path: str) -> tuple[tuple[str, ...], int]:
    with open(path, "rb") as handle:
        first = next(records(handle), None)
    return csv_header(path, first.data if first else None, first is not None)


def csv_header(name: str, data: bytes | None, found: bool = True) -> tuple[tuple[str, ...], int]:
    """Read a CSV's header line into column names; return them and the line's length in bytes."""
    if not found:
        raise InputError(f"{name}: the file is empty (a CSV needs a header line naming the columns)")
    if data is None:
        raise InputError(f"{name}: the header line is longer than any header could be")
    try:
        names = next(csv.reader([data.removeprefix(BOM).decode("utf-8")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        raise InputError(f"{name}: the header line is not UTF-8 CSV") from None
    names = [name.strip() for name in names]
    duplicated = sorted(column for column, times in Counter(names).items() if times > 1)  # linear in columns
    if duplicated or "" in names:
        raise InputError(
            f"{name}: the header names a column twice or not at all: {duplicated or ['(empty)']}"
        )
    return tuple(names), len(data)


def plan(sources: list[Source], chunk_rows: int, limit: int | None = None) -> list[Chunk]:
    """Split every source into chunks of about `chunk_rows` rows (the first `limit` rows only, if given)."""
    chunks: list[Chunk] = []
    left = limit
    for source in sources:
        planned = (
            _parquet_chunks(source, chunk_rows)
            if source.kind == "parquet"
            else _text_chunks(source, chunk_rows)
        )
        for rows, first_row, offset, groups in planned:
            if left is not None:
                rows = min(rows, left)
                left -= rows
            if rows:
                chunks.append(
                    Chunk(len(chunks) + 1, source.path, source.kind, rows, first_row, offset, groups)
                )
            if left == 0:
                return chunks
    return chunks


Planned = list[tuple[int, int, int, tuple[int, ...]]]  # (rows, first row, offset, row groups)


def _parquet_chunks(source: Source, chunk_rows: int) -> Planned:
    """Whole row groups, gathered up to `chunk_rows` (a larger group is a chunk of its own)."""
    meta = pq.ParquetFile(source.path).metadata
    chunks: Planned = []
    groups: list[int] = []
    rows, first = 0, 1
    for group in range(meta.num_row_groups):
        if groups and rows + meta.row_group(group).num_rows > chunk_rows:
            chunks.append((rows, first, 0, tuple(groups)))
            groups, first, rows = [], first + rows, 0
        groups.append(group)
        rows += meta.row_group(group).num_rows
    if groups:
        chunks.append((rows, first, 0, tuple(groups)))
    return chunks


def _text_chunks(source: Source, chunk_rows: int) -> Planned:
    """One pass over the file's records, noting where every `chunk_rows`-th one starts."""
    chunks: Planned = []
    rows, line, offset = 0, 0, 0
    first_line = 2 if source.kind == "csv" else 1
    with open(source.path, "rb") as handle:
        handle.seek(source.header_bytes)
        for record in records(handle, first_line, source.header_bytes, quoted=source.kind == "csv"):
            if rows == 0:
                line, offset = record.line, record.offset
            rows += 1
            if rows == chunk_rows:
                chunks.append((rows, line, offset, ()))
                rows = 0
    if rows:
        chunks.append((rows, line, offset, ()))
    return chunks
