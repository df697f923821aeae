"""Run `population score`: plan the chunks, write the manifest, score the chunks (in worker processes that
read their own slice), check that nothing is lost, and summarise. Resumable chunk by chunk."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .columns import columns_to_read, ignored_columns
from .identity import FORMAT_VERSION, mapping_sha256, model_identity
from .output import MANIFEST, clear_temporaries, done_chunks, mark_done, read_json, write_json
from .sources import Chunk, InputError, Source, expand, open_source, plan
from .summary import summarise
from .work import Task, run_chunk

FORMAT = "spinal-fusion-risk/population-scores"


class LostRows(RuntimeError):
    """A chunk's counts do not add up: the run stops rather than write an incomplete result."""


@dataclass(frozen=True)
class Options:
    inputs: tuple[str, ...]
    out: str
    id_col: str | None = None
    keep: tuple[str, ...] = ()
    chunk_rows: int = 50_000
    workers: int = 1
    limit: int | None = None


def prepare(options: Options) -> tuple[dict[str, Any], list[Task]]:
    """Read every input's columns, check them, plan the chunks; return the manifest and the tasks."""
    sources = [open_source(path) for path in expand(list(options.inputs))]
    read = {source.path: columns_to_read(source, options.id_col, options.keep) for source in sources}
    chunks = plan(sources, options.chunk_rows, options.limit)
    by_path = {source.path: source for source in sources}
    tasks = [
        Task(chunk, options.out, read[chunk.path], options.id_col, options.keep, by_path[chunk.path].columns)
        for chunk in chunks
    ]
    return manifest(options, sources, read, chunks), tasks


def manifest(options: Options, sources: list[Source], read: dict, chunks: list[Chunk]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": model_identity(),
        "fhir_mapping_sha256": mapping_sha256(),
        "options": {
            "id_col": options.id_col,
            "keep_cols": list(options.keep),
            "chunk_rows": options.chunk_rows,
            "limit": options.limit,
        },
        "inputs": [
            {
                "path": s.path,
                "kind": s.kind,
                "size": s.size,
                "mtime_ns": s.mtime_ns,
                "columns_read": list(read[s.path]),
                "columns_ignored": ignored_columns(s, read[s.path]) if s.kind != "ndjson" else [],
            }
            for s in sources
        ],
        "rows": sum(chunk.rows for chunk in chunks),
        "chunks": [asdict(chunk) for chunk in chunks],
    }


def start(out: Path, planned: dict[str, Any], resume: bool, overwrite: bool) -> dict[int, dict[str, Any]]:
    """Make the output folder ready; return the chunks already done (resume)."""
    if resume and (out / MANIFEST).is_file():
        changed = _changes(read_json(out / MANIFEST), json.loads(json.dumps(planned)))  # as written
        if changed:
            raise InputError(f"{out}: cannot resume, {changed} changed since the run began; use --overwrite")
        clear_temporaries(out)
        return done_chunks(out)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise InputError(f"{out} is not empty: pass --resume to finish its run, or --overwrite")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / MANIFEST, planned)
    return {}


def _changes(before: dict[str, Any], now: dict[str, Any]) -> str:
    checked = {"model": "the model", "fhir_mapping_sha256": "the FHIR mapping", "options": "the options"}
    for key, words in {**checked, "inputs": "the input", "chunks": "the input"}.items():
        if before.get(key) != now.get(key):
            return words
    return ""


def execute(
    tasks: list[Task], done: dict[int, dict[str, Any]], workers: int, progress: Callable[[int], None]
) -> None:
    """Score every chunk not done; mark each done once its counts add up."""
    out = Path(tasks[0].out) if tasks else None
    for task, counts in _results([t for t in tasks if t.chunk.number not in done], workers):
        if (
            counts["ok"] + counts["rejected"] != counts["rows_in"]
            or counts["scores_rows"] > counts["rows_in"]
        ):
            raise LostRows(f"chunk {task.chunk.number} ({task.chunk.path}): {counts}")
        assert out is not None
        mark_done(out, task.chunk.number, counts)
        progress(counts["rows_in"])


def _results(tasks: list[Task], workers: int) -> Iterator[tuple[Task, dict[str, Any]]]:
    if workers <= 1 or len(tasks) <= 1:
        yield from ((task, run_chunk(task)) for task in tasks)
        return
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited state or locks
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
        futures = {pool.submit(run_chunk, task): task for task in tasks}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # a worker finishes its chunk; the rest never start
            raise


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops handing out chunks and says how to resume."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def finish(out: Path, planned: dict[str, Any], seconds: float, workers: int) -> dict[str, Any]:
    """Check the totals against the plan and write `_summary.json`."""
    done = done_chunks(out)
    numbers = [chunk["number"] for chunk in planned["chunks"]]
    if sorted(done) != numbers:
        raise LostRows(f"chunks not done: {sorted(set(numbers) - set(done))[:10]}")
    summary = summarise(out, planned, done, seconds, workers)
    if summary["ok"] + summary["rejected"] != planned["rows"]:
        raise LostRows(f"{planned['rows']} rows in, {summary['ok']} ok and {summary['rejected']} rejected")
    return summary
