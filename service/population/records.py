"""Split a text file into records with bounded memory: lines (a CSV record spans lines inside quotes),
numbered as a person reads them, and never more than a maximum length held at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

MAX_RECORD_BYTES = 1 << 20  # a patient's row is under 1 KB: a longer record is rejected, never read whole
QUOTE = b'"'


class Record(NamedTuple):
    line: int  # the line it starts on (the file's first line is 1)
    offset: int  # the byte it starts at
    data: bytes | None  # None: longer than the limit (skipped, not read)
    lines: int  # the lines it spans


def records(
    handle: BinaryIO, line: int = 1, offset: int = 0, quoted: bool = True, limit: int = MAX_RECORD_BYTES
) -> Iterator[Record]:
    """Yield the records from the handle's position (`line`, `offset`: where that is); with `quoted`, a
    line whose quotes are not closed continues on the next one, as CSV's quoting says. Blank lines
    hold no record."""
    while True:
        data = handle.readline(limit + 1)
        if not data:
            return
        size, spans = len(data), 1
        # Quotes counted per line and the lines joined once: a quote left open over many lines stays
        # linear (counting and copying the whole record again per line was quadratic).
        parts, quotes = [data], data.count(QUOTE) if quoted else 0
        while quotes % 2 and parts[-1].endswith(b"\n") and size <= limit:
            more = handle.readline(limit + 1 - size)
            if not more:
                break
            parts.append(more)
            quotes += more.count(QUOTE)
            size, spans = size + len(more), spans + 1
        data = b"".join(parts)  # one part: that part itself, not a copy
        if size <= limit and not data.strip():  # a blank line holds no record
            pass
        elif size > limit:
            if not data.endswith(b"\n"):
                size += _skip_line(handle)
            yield Record(line, offset, None, spans)
        else:
            yield Record(line, offset, data, spans)
        line, offset = line + spans, offset + size


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of an over-long line in bounded pieces; return the bytes skipped."""
    skipped = 0
    while True:
        piece = handle.readline(MAX_RECORD_BYTES)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped
