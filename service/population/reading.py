"""Read one chunk (a worker reads its own slice): Arrow batches of the columns scored and carried, with
each row's source row, and the records that could not be read as rows, each with its reason."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .records import records
from .scorer import SOURCE_ROW, TOO_LONG, UNREADABLE
from .sources import Chunk

BATCH_ROWS = 10_000  # rows scored and written at a time: memory stays flat whatever the file's size
RAW_KEPT = 2_000  # characters of an unreadable record kept in the rejects


class ReaderReject(NamedTuple):
    source_row: int
    reason: str
    message: str
    record: str


Batches = Iterator[tuple[pa.RecordBatch, list[ReaderReject]]]


def read_chunk(chunk: Chunk, columns: list[str], header: tuple[str, ...] = ()) -> Batches:
    """Yield (batch, rejects) pieces of the chunk: `columns` (those present) and SOURCE_ROW."""
    if chunk.kind == "parquet":
        yield from _parquet(chunk, columns)
    else:
        yield from _text(chunk, columns, header)


def _parquet(chunk: Chunk, columns: list[str]) -> Batches:
    handle = pq.ParquetFile(chunk.path)
    present = [name for name in columns if name in handle.schema_arrow.names]
    row, left = chunk.first_row, chunk.rows
    # One thread: worker processes are the parallelism; arrow's pool in each would oversubscribe the cores.
    groups = list(chunk.row_groups)
    for batch in handle.iter_batches(BATCH_ROWS, row_groups=groups, columns=present, use_threads=False):
        batch = batch.slice(0, left)
        rows = pa.array(range(row, row + batch.num_rows), pa.int64())
        yield pa.RecordBatch.from_arrays([*batch.columns, rows], names=[*present, SOURCE_ROW]), []
        row, left = row + batch.num_rows, left - batch.num_rows
        if left <= 0:
            return


def _text(chunk: Chunk, columns: list[str], header: tuple[str, ...]) -> Batches:
    parse = csv_parser(header, columns) if chunk.kind == "csv" else _json_row(columns)
    with open(chunk.path, "rb") as handle:
        handle.seek(chunk.offset)
        found = records(handle, chunk.first_row, chunk.offset, quoted=chunk.kind == "csv")
        rows: list[list[Any]] = []
        rejects: list[ReaderReject] = []
        for record in islice(found, chunk.rows):
            if record.data is None:
                rejects.append(
                    ReaderReject(record.line, TOO_LONG, "The line is longer than any row could be.", "")
                )
                continue
            try:
                rows.append([*parse(record.data), record.line])
            except ValueError as error:
                raw = record.data[:RAW_KEPT].decode("utf-8", "replace")
                rejects.append(ReaderReject(record.line, UNREADABLE, str(error), raw))
            if len(rows) + len(rejects) >= BATCH_ROWS:
                yield text_batch(rows, columns), rejects
                rows, rejects = [], []
        yield text_batch(rows, columns), rejects


def text_batch(rows: list[list[Any]], columns: list[str]) -> pa.RecordBatch:
    names = [*columns, SOURCE_ROW]
    values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    arrays = [pa.array(column, pa.string()) for column in values[:-1]] + [pa.array(values[-1], pa.int64())]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def csv_parser(header: tuple[str, ...], columns: list[str]):
    where = [header.index(name) for name in columns]
    width = len(header)

    def parse(data: bytes) -> list[str]:
        try:
            fields = next(csv.reader([data.decode("utf-8")]))
        except UnicodeDecodeError:
            raise ValueError("The line is not UTF-8 text.") from None
        except (csv.Error, StopIteration) as error:
            raise ValueError(f"The line is not CSV: {error}.") from None
        if len(fields) != width:
            raise ValueError(f"The line has {len(fields)} fields; the header names {width}.")
        return [fields[index] for index in where]

    return parse


def _json_row(columns: list[str]):
    """An NDJSON row's values written as text the text rule reads back as the same JSON values (a
    list of codes as `a;b`); a missing key is an empty cell."""

    def parse(data: bytes) -> list[str | None]:
        try:
            row = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise ValueError("The line is not JSON.") from None
        if type(row) is not dict:
            raise ValueError("The line is not a JSON object.")
        return [_text_of(row.get(name, None)) for name in columns]

    return parse


def _text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return orjson.dumps(value).decode() if value == "" or _spells_json(value) else value
    if type(value) is list and all(type(item) is str for item in value):
        return ";".join(value)
    return orjson.dumps(value).decode()


def _spells_json(text: str) -> bool:
    """A JSON string that would read back as another type (`"70"`, `"true"`) keeps its quotes."""
    try:
        return not isinstance(orjson.loads(text), str)
    except orjson.JSONDecodeError:
        return False
