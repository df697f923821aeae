"""Population tests: run the command in process, write inputs, read outputs back in a stable order."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from service.population.cli import main
from service.population.synth import synthesise


def run(*args: str) -> tuple[int, str]:
    """Run `spinal-fusion-risk ARGS`; return (exit code, everything it printed)."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def population(n: int = 500, seed: int = 7, missing: float = 0.2, miscalibrate: float = 1.0) -> pa.Table:
    return synthesise(n, seed, missing, miscalibrate)[0]


def inputs_only(table: pa.Table) -> pa.Table:
    """The columns a registry would send: the id and the model inputs (no outcomes, no truth)."""
    return table.select([n for n in table.column_names if not n.startswith("true_") and n not in OUTCOMES])


OUTCOMES = ("pseudarthrosis", "hardware_failure")


def scores(out: Path, columns: list[str] | None = None) -> list[dict]:
    """The scores parts' rows, by id: what a run wrote, whatever its chunk order."""
    table = pq.read_table(out / "scores", columns=columns)
    return sorted(table.to_pylist(), key=lambda row: (str(row.get("patient_id")), str(row)))


def rejects(out: Path) -> list[dict]:
    return sorted(
        pq.read_table(out / "rejects").to_pylist(), key=lambda r: (r["source_file"], r["source_row"])
    )
