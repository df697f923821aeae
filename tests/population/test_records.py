"""The CSV line reader and header check the command and the upload page share."""

import csv
import io

import pytest

from service.population.records import records
from service.population.sources import InputError, csv_header


def test_a_quoted_record_spans_its_lines_and_reads_as_csv_reads_it():
    text = 'id,note\n1,"one\ntwo\n\nthree"\n\n2,plain\n3,"a ""quoted"" word\nand more"\n'
    found = list(records(io.BytesIO(text.encode())))
    assert [(r.line, r.lines) for r in found] == [(1, 1), (2, 4), (7, 1), (8, 2)]
    rows = [next(csv.reader([r.data.decode()])) for r in found if r.data]
    assert rows == list(csv.reader(io.StringIO(text.replace("\n\n2", "\n2"))))


def test_a_quote_left_open_ends_at_the_file_or_the_limit():
    many = b'1,"' + b"\n" * 5000 + b'",x\n2,y\n'
    assert [(r.line, r.lines, r.data is None) for r in records(io.BytesIO(many))] == [
        (1, 5001, False),
        (5002, 1, False),
    ]
    cut = list(records(io.BytesIO(b'1,"' + b"\n" * 5000), limit=1000))
    assert [(r.line, r.data) for r in cut] == [(1, None)]  # longer than the limit: skipped, never held whole


@pytest.mark.parametrize(
    ("header", "named"), [("a,b,a,c,b", "['a', 'b']"), ("a, a ,b", "['a']"), ("a,,b", "['(empty)']")]
)
def test_a_header_naming_a_column_twice_or_not_at_all_is_refused_naming_them(header, named):
    with pytest.raises(
        InputError,
        match=named.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(").replace(")", r"\)"),
    ):
        csv_header("f.csv", f"{header}\n".encode())


def test_a_wide_header_is_read_whole():
    names = [f"c{i}" for i in range(40_000)]
    assert csv_header("f.csv", (",".join(names) + "\n").encode())[0] == tuple(names)
