"""Population scaling on a quiet many-core machine: `population score` end to end on 1 M rows of
Parquet at 1, 2, 4 and 8 workers, and the scorer alone on the same rows (bench/population.py's file).
Run by bench/quiet/run.sh from the checkout root; ROWS and POP_WORKERS change the sizes."""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

import bench.population as measure

# The quiet machine runs the checkout without installing it: the command through a small wrapper.
WRAPPER = Path(tempfile.gettempdir()) / "spinal-fusion-risk"
WRAPPER.write_text(
    f"#!/bin/sh\nexec {sys.executable} -c "
    '"import sys; from service.population.cli import main; '
    'sys.argv[0] = \'spinal-fusion-risk\'; main()" "$@"\n'
)
WRAPPER.chmod(0o755)
measure.SCRIPT = str(WRAPPER)


def main() -> None:
    rows = int(os.environ.get("ROWS", "1000000"))
    found: dict = {"rows": rows, "cores": os.cpu_count(), "runs": []}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        began = time.perf_counter()
        path = measure.population_file(folder, rows)
        found["synth_s"] = time.perf_counter() - began
        found["in_process"] = measure.in_process(path)
        print(json.dumps(found), flush=True)
        for workers in [int(n) for n in os.environ.get("POP_WORKERS", "1 2 4 8").split()]:
            run = {**measure.command(path, folder / "out", workers), "workers": workers}
            found["runs"].append(run)
            print(json.dumps(run), flush=True)
    (Path(os.environ.get("OUT", "/tmp")) / "population.json").write_text(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
