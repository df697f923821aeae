# ruff: noqa: E402, SIM115  (a standalone script: imports after sys.path is set; logs left open for the server)
"""Scaling on a quiet many-core machine: the service vs a bare-Flask floor, both under the
service's gunicorn settings, at 1..N worker processes; plus in-process per-patient figures."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# The project checkout: $APP, else the folder above this one (.devbench/ sits in the checkout).
APP = Path(os.environ.get("APP") or Path(__file__).resolve().parent.parent)
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(APP))
os.chdir(APP)
PY = sys.executable
KEY = "bench-key-0123456789abcdef"
OUT = Path(os.environ.get("OUT", "/tmp"))
from bench.patients import distinct_patients

pats = distinct_patients()
bodies = Path("/tmp/distinct.jsonl")
bodies.write_text("".join(json.dumps(p, separators=(",", ":")) + "\n" for p in pats))
WRK = str(HERE / "bin" / "wrk")


def start(app, port, workers):
    env = dict(
        os.environ,
        API_KEYS=KEY,
        PORT=str(port),
        HOST="127.0.0.1",
        WEB_CONCURRENCY=str(workers),
        LOG_LEVEL="WARNING",
    )
    p = subprocess.Popen(
        [PY, "-m", "gunicorn", "--config", "gunicorn.conf.py", app],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(f"/tmp/{port}.log", "w"),
        start_new_session=True,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            time.sleep(0.5)
            return p
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(open(f"/tmp/{port}.log").read()[-2000:])


def stop(p):
    os.killpg(p.pid, signal.SIGTERM)
    p.wait(30)


def wrk(url, conns, threads, secs):
    cmd = [
        WRK,
        f"-t{threads}",
        f"-c{conns}",
        f"-d{secs}s",
        "--latency",
        "--timeout",
        "5s",
        "-H",
        "Content-Type: application/json",
        "-H",
        f"Authorization: Bearer {KEY}",
        "-s",
        str(APP / "bench" / "cycle.lua"),
        url,
        "--",
        str(bodies),
        "0",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=secs + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    lat = dict(
        re.findall(r"^\s+(50|99)%\s+([\d.]+)(\w+)", out, re.M)
        and [(a, b + c) for a, b, c in re.findall(r"^\s+(50|99)%\s+([\d.]+)(\w+)", out, re.M)]
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": int(bad[1]) if bad else 0}


res = {"cores": os.cpu_count(), "python": sys.version.split()[0], "runs": []}
secs = int(os.environ.get("SECS", "8"))
for workers in [int(x) for x in os.environ.get("WORKERS", "1 2 4 8 12").split()]:
    conns, threads = max(32, 16 * workers), 4
    for rnd in range(int(os.environ.get("ROUNDS", "2"))):
        for name, app, path in (
            ("floor", "bench.floor:app", "/floor"),
            ("service", "wsgi:app", "/v1/assessments"),
        ):
            p = start(app, 18500 + workers, workers)
            try:
                r = wrk(f"http://127.0.0.1:{18500 + workers}{path}", conns, threads, secs)
            finally:
                stop(p)
            r.update(name=name, workers=workers, round=rnd, conns=conns)
            res["runs"].append(r)
            print(json.dumps(r), flush=True)
# in-process figures (one core): a whole assessment and the points alone, per patient
import timeit

from service.core import Assessor, load_model
from service.core.scoring import score

model = load_model()
assessor = Assessor(model)


def per_patient(fn):
    cycle = iter(pats * 5)
    return min(timeit.repeat(lambda: fn(next(cycle)), number=len(pats), repeat=5)) / len(pats) * 1e6


res["in_process"] = {
    "assessment_us": per_patient(assessor),
    "points_only_us": per_patient(lambda p: score(model, p)),
}
print(json.dumps(res["in_process"]), flush=True)
(OUT / "scale.json").write_text(json.dumps(res, indent=1))
