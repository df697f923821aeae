"""Bad input to `population score`: a clear reason in the rejects, or exit 2 naming the column; never a
traceback, and every other row scored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from service.population.records import MAX_RECORD_BYTES
from tests.helpers.population import inputs_only, population, rejects, run, scores

HEADER = "id,age,smoking,osteoporosis,diabetes,levels_fused,obesity,bmi\n"
GOOD = "a,62,never,false,false,2,false,\n"

CASES = [
    ("broken line", "b,62,never\n", "unreadable", "", "The line has 3 fields; the header names 8."),
    ("wrong type", "b,sixty,never,false,false,2,false,\n", "invalid", "age", "age: Not a valid integer."),
    (
        "unknown code",
        "b,62,sometimes,false,false,2,false,\n",
        "invalid",
        "smoking",
        "smoking: Must be one of",
    ),
    ("out of range", "b,62,never,false,false,2,false,130\n", "invalid", "bmi", "bmi: Must be greater than"),
    ("not UTF-8", "b,62,n\xe9ver,false,false,2,false,\n", "unreadable", "", "The line is not UTF-8 text."),
]


@pytest.mark.parametrize(("case", "line", "reason", "field", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_row_is_rejected_with_its_reason_and_the_others_are_scored(
    tmp_path, case, line, reason, field, message
):
    source = tmp_path / "in.csv"
    encoding = "latin-1" if case == "not UTF-8" else "utf-8"
    source.write_bytes((HEADER + GOOD + line + GOOD).encode(encoding))
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--id-col", "id")
    assert code == 0 and "Traceback" not in output
    [reject] = rejects(tmp_path / "o")
    assert (reject["source_row"], reject["reason"], reject["field"] or "") == (3, reason, field)
    assert reject["message"].startswith(message)
    assert [row["status"] for row in scores(tmp_path / "o")].count("ok") == 2


def test_a_line_just_over_the_limit_is_rejected_unread_and_the_next_rows_scored(tmp_path):
    """The "5 GB line": never held whole. One byte over the limit is enough to show it."""
    source = tmp_path / "in.csv"
    long_line = "b,62," + "x" * MAX_RECORD_BYTES + "\n"
    source.write_text(HEADER + GOOD + long_line + GOOD + GOOD)
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--id-col", "id")
    assert code == 0, output
    [reject] = rejects(tmp_path / "o")
    assert (reject["source_row"], reject["reason"]) == (3, "too_long")
    assert [r["status"] for r in scores(tmp_path / "o")] == ["ok", "ok", "ok"]


EXIT_2 = [
    ("missing required column", HEADER.replace(",smoking", ""), "the required column smoking is missing"),
    ("empty file", "", "the file is empty"),
    ("duplicated column", "age,age\n", "names a column twice"),
]


@pytest.mark.parametrize(("case", "text", "words"), EXIT_2, ids=[c[0] for c in EXIT_2])
def test_a_file_that_cannot_be_read_as_a_whole_exits_2_naming_why(tmp_path, case, text, words):
    source = tmp_path / "in.csv"
    source.write_text(text)
    code, output = run("population", "score", source, "--out", tmp_path / "o")
    assert code == 2 and words in output and "Traceback" not in output
    assert not (tmp_path / "o").exists()


def test_a_missing_id_or_kept_column_exits_2_naming_the_option(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + GOOD)
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--id-col", "mrn")
    assert code == 2 and "--id-col mrn: no such column" in output
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--keep-cols", "id,site")
    assert code == 2 and "--keep-cols site: no such column" in output


@pytest.mark.parametrize(
    ("column", "values", "words"),
    [("age", pa.array([True]), "column age is bool; the model reads a whole number"),
     ("osteoporosis", pa.array([1]), "column osteoporosis is int64; the model reads true or false"),
     ("smoking", pa.array([1.5]), "column smoking is double; the model reads text")],
)  # fmt: skip
def test_a_parquet_column_of_the_wrong_type_exits_2_naming_it(tmp_path, column, values, words):
    table = pcsv.read_csv(pa.py_buffer((HEADER + GOOD).encode()))
    table = table.set_column(table.schema.get_field_index(column), column, values)
    pq.write_table(table, tmp_path / "in.parquet")
    code, output = run("population", "score", tmp_path / "in.parquet", "--out", tmp_path / "o")
    assert code == 2 and words in output and "Traceback" not in output


def test_ndjson_lines_that_are_not_json_objects_are_rejected(tmp_path):
    good = b'{"id": "a", "age": 62, "smoking": "never", "osteoporosis": false, "diabetes": false, '
    good += b'"levels_fused": 2, "obesity": false}\n'
    source = tmp_path / "in.ndjson"
    source.write_bytes(good + b"{not json\n" + b"[1, 2]\n" + b'{"id": "c", "age": "62"}\n' + good)
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--id-col", "id")
    assert code == 0, output
    found = [(r["source_row"], r["reason"], r["message"].split(":")[0]) for r in rejects(tmp_path / "o")]
    not_json, not_object = "The line is not JSON.", "The line is not a JSON object."
    assert found == [(2, "unreadable", not_json), (3, "unreadable", not_object), (4, "invalid", "age")]


@pytest.mark.live
def test_an_interrupted_run_exits_4_prints_its_resume_command_which_finishes_it(tmp_path):
    """The installed console script, two spawned workers, a real SIGINT, then the printed command."""
    pq.write_table(inputs_only(population(24_000, seed=3)), tmp_path / "in.parquet", row_group_size=1000)
    script = str(Path(sys.executable).with_name("spinal-fusion-risk"))
    args = [script, "population", "score", str(tmp_path / "in.parquet"), "--id-col", "patient_id",
            "--chunk-rows", "1000", "--workers", "2", "--progress", "log"]  # fmt: skip
    subprocess.run([*args, "--out", str(tmp_path / "clean")], check=True, capture_output=True, timeout=300)
    process = subprocess.Popen([*args, "--out", str(tmp_path / "cut")], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((tmp_path / "cut").glob("_done/chunk-*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGINT)
    _, errors = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the run finished before the interrupt reached it")
    assert process.returncode == 4 and "Traceback" not in errors, errors
    command = errors.split("finish with:\n")[1].strip()
    assert command.endswith("--resume")
    resumed = subprocess.run([script, *command.split()[1:]], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert scores(tmp_path / "cut") == scores(tmp_path / "clean")
