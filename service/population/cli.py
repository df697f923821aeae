"""The `spinal-fusion-risk` command: `population score | extract-fhir | validate | synth | schema`.

Exit codes: 0 done; 2 usage, schema or mapping error (naming the column or option); 3 reject rate above
`--max-reject-rate` (outputs still complete); 4 interrupted (the `--resume` command is printed)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import sys
import time
from pathlib import Path

import click

from .progress import Progress
from .run import LostRows, Options, execute, finish, prepare, start
from .schema_doc import input_schema
from .sources import InputError

USAGE, TOO_MANY_REJECTS, INTERRUPTED, FAILED = 2, 3, 4, 1


@click.group()
def main() -> None:
    """Spinal-fusion complication risk: the service's model, from the command line."""


@main.group()
def population() -> None:
    """Score, extract, validate or synthesise whole populations, locally (nothing leaves the machine)."""


def fail(message: str, code: int = USAGE) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@population.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--id-col", help="The column that identifies a patient (carried, and needed by validate).")
@click.option("--keep-cols", default="", help="Comma-separated columns carried into the output unchanged.")
@click.option(
    "--chunk-rows", default=50_000, show_default=True, type=click.IntRange(1), help="Rows per chunk."
)
@click.option("--workers", type=click.IntRange(1), help="Worker processes (default: the cores).")
@click.option(
    "--resume", is_flag=True, help="Finish an interrupted run in --out (only its unfinished chunks)."
)
@click.option("--overwrite", is_flag=True, help="Replace what --out holds.")
@click.option(
    "--max-reject-rate", type=click.FloatRange(0, 1), help="Exit 3 when a larger share is rejected."
)
@click.option(
    "--progress", "progress_mode", type=click.Choice(["auto", "bar", "log", "none"]), default="auto"
)
@click.option("--limit", type=click.IntRange(1), help="Score only the first N rows.")
@click.option("--dry-run", is_flag=True, help="Check the inputs and show the plan; write nothing.")
def score(inputs, out, id_col, keep_cols, chunk_rows, workers, resume, overwrite, max_reject_rate,
          progress_mode, limit, dry_run) -> None:  # fmt: skip
    """Score INPUT files (CSV, Parquet file, folder or glob, or features NDJSON) into Parquet parts."""
    if resume and overwrite:
        fail("--resume and --overwrite: choose one")
    keep = tuple(name.strip() for name in keep_cols.split(",") if name.strip())
    workers = workers or os.cpu_count() or 1
    options = Options(tuple(inputs), str(out), id_col, keep, chunk_rows, workers, limit)
    try:
        planned, tasks = prepare(options)
        if dry_run:
            click.echo(
                json.dumps(
                    {k: planned[k] for k in ("model", "inputs", "rows")} | {"chunks": len(tasks)}, indent=2
                )
            )
            return
        done = start(Path(out), planned, resume, overwrite)
    except InputError as error:
        fail(str(error))
    _score(options, planned, tasks, done, progress_mode, max_reject_rate)


def _score(options: Options, planned, tasks, done, progress_mode: str, max_reject_rate) -> None:
    progress = Progress(progress_mode, planned["rows"], sum(c["rows_in"] for c in done.values()))
    began = time.monotonic()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        execute(tasks, done, options.workers, progress)
        summary = finish(Path(options.out), planned, time.monotonic() - began, options.workers)
    except KeyboardInterrupt:
        progress.close()
        again = [a for a in sys.argv[1:] if a not in ("--overwrite", "--resume")]
        fail(f"interrupted; finish with:\n  spinal-fusion-risk {shlex.join(again)} --resume", INTERRUPTED)
    except LostRows as error:
        fail(f"rows do not add up, the run stopped: {error}", FAILED)
    progress.close()
    click.echo(
        json.dumps(
            {k: summary[k] for k in ("rows_in", "ok", "rejected", "rejected_by_reason", "tiers")}, indent=2
        )
    )
    if max_reject_rate is not None and summary["reject_rate"] > max_reject_rate:
        rate, where = f"{summary['reject_rate']:.2%}", Path(options.out) / "rejects"
        fail(
            f"{rate} of rows rejected, above --max-reject-rate {max_reject_rate:.2%}; see {where}",
            TOO_MANY_REJECTS,
        )


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@population.command()
def schema() -> None:
    """Print the model's inputs: types, bounds and codes, from the model table (JSON)."""
    click.echo(json.dumps(input_schema(), indent=2))


from . import commands  # noqa: E402, F401  (registers synth, validate and extract-fhir on the group)
