"""Score a small CSV held in memory (the clinician page's upload): the command's reading rules, column
checks and scorer, with a row cap; nothing is written anywhere."""

from __future__ import annotations

import io
from itertools import islice

import pyarrow as pa

from .columns import columns_to_read
from .reading import csv_parser, text_batch
from .records import records
from .scorer import REJECTED, TOO_LONG, UNREADABLE, PopulationScorer
from .sources import BOM, InputError, Source, csv_header

ID_COLUMNS = ("patient_id", "id")  # carried into the result when the file has one


def score_csv_bytes(data: bytes, max_rows: int, name: str = "the file") -> pa.Table:
    """Return one scored row per CSV row (the reader's own rejects included, as rejected rows with
    their reason); raise InputError naming the column or the limit when the file cannot be scored."""
    found = records(io.BytesIO(data.removeprefix(BOM)))
    first = next(found, None)
    header, _ = csv_header(name, first.data if first else None, first is not None)
    id_col = next((column for column in ID_COLUMNS if column in header), None)
    columns = columns_to_read(Source(name, "csv", header, {}, len(data), 0), id_col, ())
    parse = csv_parser(header, list(columns))
    rows: list[list] = []
    unread: list[tuple[int, str, str]] = []
    for record in islice(found, max_rows + 1):
        if record.data is None:
            unread.append((record.line, TOO_LONG, "The line is longer than any row could be."))
            continue
        try:
            rows.append([*parse(record.data), record.line])
        except ValueError as error:
            unread.append((record.line, UNREADABLE, str(error)))
    if len(rows) + len(unread) > max_rows:
        raise InputError(f"{name} has more than {max_rows:,} rows: score it with the command line")
    scorer = PopulationScorer(id_col)
    scored = scorer(text_batch(rows, list(columns)))
    line = pa.array([row[-1] for row in rows], pa.int64())
    table = pa.Table.from_batches([scored]).add_column(0, "line", line)
    return _with_unread(table, unread)


def _with_unread(table: pa.Table, unread: list[tuple[int, str, str]]) -> pa.Table:
    if not unread:
        return table.sort_by("line")
    lines, reasons, messages = (list(column) for column in zip(*unread, strict=True))
    extra = {"line": lines, "status": [REJECTED] * len(unread), "reason": reasons, "message": messages}
    columns = {name: extra.get(name, [None] * len(unread)) for name in table.column_names}
    return pa.concat_tables([table, pa.table(columns, schema=table.schema)]).sort_by("line")
