"""`make bench`, population section: `population score` end to end on Parquet against the in-process
scorer on the same rows, two workers against one, and peak memory at 1 M and 5 M rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.population.scorer import PopulationScorer  # noqa: E402
from service.population.synth import synthesise  # noqa: E402

SMALL, LARGE = int(os.environ.get("BENCH_POPULATION_ROWS", "1000000")), 5_000_000
DISTINCT = 50_000  # distinct synthetic patients, repeated (with new ids) to the sizes measured
SCRIPT = str(Path(sys.executable).with_name("spinal-fusion-risk"))
# Runs the command and prints the largest peak RSS of its processes (KB) and their CPU seconds.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime)"
)


def population_file(folder: Path, rows: int) -> Path:
    """A Parquet file of `rows` patients (inputs only, a quarter of each core input unknown)."""
    path = folder / f"population-{rows}.parquet"
    table, _ = synthesise(DISTINCT, seed=5, missing=0.25)
    inputs = table.select([n for n in table.column_names if n not in ("pseudarthrosis", "hardware_failure")
                           and not n.startswith("true_")]).drop_columns(["patient_id"])  # fmt: skip
    with pq.ParquetWriter(path, inputs.schema.insert(0, pa.field("patient_id", pa.string()))) as writer:
        for start in range(0, rows, DISTINCT):
            ids = pa.array([f"B{n:09d}" for n in range(start, start + DISTINCT)])
            writer.write_table(inputs.add_column(0, "patient_id", ids).slice(0, rows - start))
    return path


def command(path: Path, out: Path, workers: int) -> dict[str, float]:
    """Run the installed command; return its wall time, rows/s and the peak RSS of its largest process."""
    args = [SCRIPT, "population", "score", str(path), "--out", str(out), "--id-col", "patient_id",
            "--workers", str(workers), "--progress", "none", "--overwrite"]  # fmt: skip
    began = time.perf_counter()
    measured = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - began
    peak_kb, cpu = measured.stdout.split()
    rows = json.loads((out / "_summary.json").read_text())["rows_in"]
    return {
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "rows_per_cpu_s": rows / float(cpu),
        "peak_rss_mb": int(peak_kb) / 1024,
    }


def in_process(path: Path) -> dict[str, float]:
    """The scorer alone on the same rows, already in memory (no reading, no writing, one core)."""
    batches = pq.read_table(path).to_batches(max_chunksize=10_000)
    scorer = PopulationScorer("patient_id")
    began, cpu = time.perf_counter(), time.process_time()
    rows = sum(scorer(batch).num_rows for batch in batches)
    return {
        "rows_per_s": rows / (time.perf_counter() - began),
        "rows_per_cpu_s": rows / (time.process_time() - cpu),
    }


def figures() -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-population-") as scratch:
        folder = Path(scratch)
        small = population_file(folder, SMALL)
        found = {"in_process": in_process(small)}
        found["one_worker"] = command(small, folder / "out", 1)
        found["two_workers"] = command(small, folder / "out", 2)
        found["large_two_workers"] = command(population_file(folder, LARGE), folder / "out", 2)
    found["ratios"] = {
        "end_to_end_vs_in_process": found["one_worker"]["rows_per_cpu_s"]
        / found["in_process"]["rows_per_cpu_s"],
        "two_workers_vs_one": found["two_workers"]["rows_per_s"] / found["one_worker"]["rows_per_s"],
        "rss_large_vs_small": found["large_two_workers"]["peak_rss_mb"] / found["two_workers"]["peak_rss_mb"],
    }
    return found


TARGETS = [
    (
        "population: end to end rows per CPU-second / in-process scorer's",
        "end_to_end_vs_in_process",
        ">=",
        0.8,
    ),
    ("population: 2 workers / 1 worker", "two_workers_vs_one", ">=", 1.6),
    ("population: peak RSS at 5 M rows / at 1 M rows", "rss_large_vs_small", "<=", 1.1),
]


def markdown(found: dict) -> str:
    lines = [
        f"Population scoring ({SMALL:,} rows of Parquet; memory also at {LARGE:,}): "
        f"in process {found['in_process']['rows_per_s']:,.0f} rows/s; the command with 1 worker "
        f"{found['one_worker']['rows_per_s']:,.0f} rows/s, "
        f"with 2 {found['two_workers']['rows_per_s']:,.0f} rows/s; "
        f"per CPU-second (all its processes) {found['one_worker']['rows_per_cpu_s']:,.0f} and "
        f"{found['two_workers']['rows_per_cpu_s']:,.0f}; the machine's load average when it ended: "
        f"{os.getloadavg()[0]:.1f}; "
        f"peak RSS of its largest process {found['two_workers']['peak_rss_mb']:.0f} MB at {SMALL:,} rows, "
        f"{found['large_two_workers']['peak_rss_mb']:.0f} MB at {LARGE:,}.",
        "",
        "| target | measured | goal | met |",
        "|---|---|---|---|",
    ]
    for label, key, op, goal in TARGETS:
        measured = found["ratios"][key]
        met = measured >= goal if op == ">=" else measured <= goal
        lines.append(f"| {label} | {measured:.3g} | {op} {goal} | {'yes' if met else 'NO'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    measured = figures()
    print(json.dumps(measured, indent=2))
    print(markdown(measured))
