"""Read `validate`'s inputs: the scores a run wrote, and the observed outcomes joined to them by id."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .output import MANIFEST, SCORES, SUMMARY, read_json
from .sources import InputError

TRUE, FALSE = frozenset({"1", "1.0", "true", "yes"}), frozenset({"0", "0.0", "false", "no"})


def read_scores(path: Path) -> tuple[pa.Table, dict]:
    """Return the scores (a run's folder, or Parquet parts) and what the run said about itself."""
    folder = path / SCORES if (path / SCORES).is_dir() else path
    files = sorted(str(p) for p in folder.glob("*.parquet")) if folder.is_dir() else [str(path)]
    if not files or not all(Path(f).is_file() for f in files):
        raise InputError(f"{path}: no scores (a `population score` output folder, or its Parquet parts)")
    run = {name: read_json(path / name) for name in (MANIFEST, SUMMARY) if (path / name).is_file()}
    return ds.dataset(files, format="parquet").to_table(), run


def read_observed(path: Path) -> pa.Table:
    """Return the observed file (CSV read as text, or Parquet), every column as it is spelled."""
    if path.suffix.lower() != ".csv":
        try:
            return pq.read_table(path)
        except (OSError, pa.ArrowException) as error:
            raise InputError(
                f"--observed {path}: not a readable CSV or Parquet file ({str(error)[:200]})"
            ) from None
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise InputError(f"--observed {path}: the file is empty")
    options = pcsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True)
    try:
        return pcsv.read_csv(path, convert_options=options)
    except pa.ArrowInvalid as error:
        raise InputError(f"--observed {path}: {str(error)[:300]}") from None


def joined(scores: pa.Table, observed: pa.Table, id_col: str, wanted: list[str]) -> pa.Table:
    """Join the observed columns `wanted` to the scores by id (as text); refuse duplicated ids."""
    for name, table in (("scores", scores), ("--observed", observed)):
        if id_col not in table.column_names:
            raise InputError(f"--id-col {id_col}: no such column in the {name}")
        ids = table.column(id_col).cast(pa.string())
        if pc.count_distinct(ids).as_py() != len(ids) - ids.null_count:
            raise InputError(
                f"--id-col {id_col}: the {name} name some ids twice; each patient must appear once"
            )
    for name in wanted:
        if name not in observed.column_names:
            raise InputError(f"--observed: no column {name} (it has {', '.join(observed.column_names[:20])})")
    left = scores.set_column(
        scores.schema.get_field_index(id_col), id_col, scores.column(id_col).cast(pa.string())
    )
    right = observed.select([id_col, *wanted])
    right = right.set_column(0, id_col, right.column(id_col).cast(pa.string()))
    extra = [n for n in wanted if n in left.column_names]
    right = right.rename_columns([id_col, *(f"observed:{n}" if n in extra else n for n in wanted)])
    return left.join(right, id_col, join_type="left outer")


def events_of(column: pa.ChunkedArray, name: str) -> list[int | None]:
    """Read an outcome column as 1, 0 or None (not known); anything else stops the run naming it."""
    found: list[int | None] = []
    for value in column.to_pylist():
        text = str(value).strip().lower() if value is not None else ""
        if text in TRUE or value is True:
            found.append(1)
        elif text in FALSE or value is False:
            found.append(0)
        elif text in ("", "none", "nan"):
            found.append(None)
        else:
            raise InputError(f"--outcome-col {name}: {str(value)[:40]!r} is not 1/0, true/false or empty")
    return found
