"""`make bench`: the service against a bare-Flask floor, side by side, and in-process figures.

Both run as deployed (`python -m service.ops.serve`: the front, nginx, before gunicorn with
gunicorn.conf.py, 2 workers) and are driven by wrk on 127.0.0.1, alternating floor/service over
several bounded rounds; the front's own cost is the floor behind it against the floor alone. The
service runs with API keys, JSON request logs, metrics. Figures go to bench/results/.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import population  # noqa: E402
from bench.hostile import amplification_cost, probes_under_slow_clients  # noqa: E402
from bench.patients import HIGH_RISK, distinct_patients  # noqa: E402
from tests.live.server import LiveServer  # noqa: E402

RESULTS = ROOT / "bench" / "results"
KEY = "bench-key-0123456789abcdef"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = 32
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, bodies: Path, thread_offset: int = 0, connections: int = CONNECTIONS) -> dict[str, float]:
    """Run one bounded wrk load; return requests/s and p50/p99 latency (ms)."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--latency", "--timeout", "5s"]
    command += ["-H", "Content-Type: application/json", "-H", f"Authorization: Bearer {KEY}"]
    command += ["-s", str(ROOT / "bench" / "cycle.lua"), url, "--", str(bodies), str(thread_offset)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 30, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """Read wrk's report (run with --latency); a non-2xx answer or a socket error fails the run."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out)
    if failed:
        raise RuntimeError(f"wrk: {failed[0]}")
    return {
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
    }


def loaded(server: LiveServer, url: str, bodies: Path, offset: int = 0, connections: int = CONNECTIONS):
    """Run wrk against a server; add the server's CPU time per request (µs): its real cost."""
    before = server_cpu_seconds(server)
    figures = wrk(url, bodies, offset, connections)
    figures["cpu_us_per_request"] = (server_cpu_seconds(server) - before) / figures.pop("requests") * 1e6
    return figures


def server_cpu_seconds(server: LiveServer) -> float:
    """CPU time used so far by the server's processes: each live one (the front's nginx, gunicorn's
    master and workers) and those they reaped (workers recycled after max_requests). Retried until
    no process was reaped while reading."""
    for _ in range(50):
        pids = _tree(server.process.pid)
        try:
            total = sum(sum(_cpu_times(pid)) for pid in pids)  # utime, stime, cutime, cstime
        except FileNotFoundError:  # a process reaped meanwhile
            continue
        if _tree(server.process.pid) == pids:
            return total / os.sysconf("SC_CLK_TCK")
    raise RuntimeError("processes kept changing while reading their CPU times")


def _tree(pid: int) -> list[int]:
    """A process and its descendants (the reaped ones' CPU is in their parent's cutime, cstime)."""
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []
    return [pid] + [grandchild for child in children for grandchild in _tree(child)]


def _cpu_times(pid: int) -> list[int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return [int(tick) for tick in fields[11:15]]  # utime, stime, cutime, cstime (man 5 proc)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * UNITS[unit]


def side_by_side(bodies: Path) -> dict[str, dict[str, float]]:
    """The floor and the service, both behind the front: A/B/A/B..., the median of each figure."""
    floor = LiveServer(workers=2, front=True, app="bench.floor:app", ready="/floor", API_KEYS=KEY)
    service = LiveServer(workers=2, front=True, API_KEYS=KEY)
    with floor, service:
        targets = {
            "floor": (floor, f"{floor.url}/floor"),
            "service": (service, f"{service.url}/v1/assessments"),
        }
        figures = alternate(targets, bodies)
        figures["service"]["rss_mb_per_worker"] = max(_rss_mb(pid) for pid in service.worker_pids())
    return figures


def front_cost(bodies: Path) -> dict[str, dict[str, float]]:
    """The floor alone (gunicorn) against the floor behind the front: what the front costs."""
    alone = LiveServer(workers=2, app="bench.floor:app", ready="/floor", API_KEYS=KEY)
    fronted = LiveServer(workers=2, front=True, app="bench.floor:app", ready="/floor", API_KEYS=KEY)
    with alone, fronted:
        targets = {"alone": (alone, f"{alone.url}/floor"), "front": (fronted, f"{fronted.url}/floor")}
        return alternate(targets, bodies)


def alternate(targets: dict[str, tuple[LiveServer, str]], bodies: Path) -> dict[str, dict[str, float]]:
    """Drive two servers in turn (A/B, then B/A...) after a warm-up; return each figure's median."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    for _, url in targets.values():  # warm up
        wrk(url, bodies)
    order = list(targets)
    for round_ in range(ROUNDS):
        for name in order if round_ % 2 == 0 else order[::-1]:
            server, url = targets[name]
            runs[name].append(loaded(server, url, bodies, round_))
    return {
        name: {k: statistics.median(r[k] for r in results) for k in results[0]}
        for name, results in runs.items()
    }


def batch_cost(patients: list[dict]) -> dict[str, float]:
    """Batches of 1,000 patients on two connections: the server's CPU time per patient."""
    body = RESULTS / "batch.jsonl"
    body.write_text(json.dumps({"patients": patients[:1000]}, separators=(",", ":")) + "\n")
    with LiveServer(workers=2, front=True, API_KEYS=KEY) as service:
        url = f"{service.url}/v1/assessments/batch"
        wrk(url, body, connections=2)  # warm up
        figures = loaded(service, url, body, connections=2)
    return {
        "cpu_us_per_patient": figures["cpu_us_per_request"] / 1000,
        "patients_per_s": figures["rps"] * 1000,
    }


def _rss_mb(pid: int) -> float:
    """A process's resident memory (MB); 0 for one that has exited (a recycled worker not yet reaped
    has no VmRSS, a reaped one no /proc entry), which the max over the workers then passes over."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else 0.0


def in_process(patients: list[dict]) -> dict[str, float]:
    """Per-patient scoring, a full request through the test client, batches, cold start."""
    from service import create_app
    from service.core import Assessor, load_model
    from service.core.scoring import score

    model = load_model()
    assessor = Assessor(model)
    per_patient = _per_patient(assessor, patients)
    points_only = _per_patient(lambda patient: score(model, patient), patients)
    settings = {"API_KEYS": (KEY,), "LOG_LEVEL": "WARNING"}
    client = create_app(settings).test_client()
    flask_only = create_app({**settings, "FAST_LANE": False}).test_client()  # the lane's gain
    headers = {"Authorization": f"Bearer {KEY}"}
    single, without_lane = (
        _best(lambda c=c: [c.post("/v1/assessments", json=p, headers=headers) for p in patients[:500]]) / 500
        for c in (client, flask_only)
    )
    batch = {}
    for size in (1, 100, 1000):
        body = {"patients": patients[:size]}
        seconds = _best(lambda body=body: client.post("/v1/assessments/batch", json=body, headers=headers))
        batch[size] = size / seconds
    return {
        "score_us_per_patient": per_patient * 1e6,
        "points_only_us_per_patient": points_only * 1e6,
        "request_us": single * 1e6,
        "request_us_without_lane": without_lane * 1e6,
        "batch_patients_per_s_1": batch[1],
        "batch_patients_per_s_100": batch[100],
        "batch_patients_per_s_1000": batch[1000],
        "cold_start_s": _cold_start(),
    }


def _per_patient(function, patients: list[dict]) -> float:
    """Seconds per call, best of five passes over the patients (results dropped, as served)."""
    cycle = iter(patients * 5)
    return min(timeit.repeat(lambda: function(next(cycle)), number=len(patients), repeat=5)) / len(patients)


def _best(action, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def _cold_start() -> float:
    code = "import time; t = time.perf_counter(); import wsgi; print(time.perf_counter() - t)"
    runs = []
    for _ in range(5):
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append(float(done.stdout))
    return statistics.median(runs)


# (label, path to the figure, comparison, goal)
TARGETS = [
    ("throughput, distinct patients (× floor, both behind the front)", ("distinct", "ratio_rps"), ">=", 0.85),
    (
        "throughput, README high-risk example (× floor, both behind the front)",
        ("readme", "ratio_rps"),
        ">=",
        0.85,
    ),
    ("p99 at 32 connections, distinct (× floor)", ("distinct", "ratio_p99"), "<=", 1.2),
    ("the front: the floor's throughput behind it (× the floor alone)", ("front", "ratio_rps"), ">=", 0.5),
    ("scoring function: a patient's whole assessment (µs)", ("in_process", "score_us_per_patient"), "<=", 25),
    ("batch of 1,000: server CPU per patient (× single request)", ("batch", "cost_vs_single"), "<=", 0.2),
    ("RSS per worker (MB)", ("distinct", "service", "rss_mb_per_worker"), "<=", 100),
    ("cold start (s)", ("in_process", "cold_start_s"), "<=", 1.0),
    ("hostile body within the limits: server CPU (s)", ("hostile", "worst_cpu_s_per_request"), "<=", 1.0),
    (
        "1.9 MB Bundle, 2,000 × 300 codings, no Patient: server CPU (s)",
        ("hostile", "bundle_without_patient_cpu_s"),
        "<=",
        0.3,
    ),
    ("CDS prefetch of that shape: server CPU (s)", ("hostile", "prefetch_cpu_s"), "<=", 0.3),
    ("GET /openapi.yaml: server CPU per call (ms)", ("hostile", "openapi_yaml_cpu_ms"), "<=", 10),
    ("RSS per worker after the hostile bodies (MB)", ("hostile", "rss_mb_after"), "<=", 200),
    (
        "health probes answered within 1 s, 1,000 slow clients of each kind",
        ("slow", "answered_within_1s"),
        ">=",
        0.95,
    ),
    (
        "slow clients cut within their deadline (share, worst kind)",
        ("slow", "cut_within_deadline"),
        ">=",
        1.0,
    ),
]


def markdown(figures: dict) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores; wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, {ROUNDS} rounds A/B.",
        "",
        "| load | floor req/s | service req/s | ratio | floor p50/p99 ms | service p50/p99 ms "
        "| p99 ratio | server CPU µs/request, floor / service |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("distinct", "readme"):
        f, s, r = figures[name]["floor"], figures[name]["service"], figures[name]
        lines.append(
            f"| {name} | {f['rps']:.0f} | {s['rps']:.0f} | {r['ratio_rps']:.2f} "
            f"| {f['p50_ms']:.1f} / {f['p99_ms']:.1f} | {s['p50_ms']:.1f} / {s['p99_ms']:.1f} "
            f"| {r['ratio_p99']:.2f} | {f['cpu_us_per_request']:.0f} / {s['cpu_us_per_request']:.0f} |"
        )
    front = figures["front"]
    lines.append(
        f"| the front (floor alone → behind it) | {front['alone']['rps']:.0f} | {front['front']['rps']:.0f} "
        f"| {front['ratio_rps']:.2f} | {front['alone']['p50_ms']:.1f} / {front['alone']['p99_ms']:.1f} "
        f"| {front['front']['p50_ms']:.1f} / {front['front']['p99_ms']:.1f} | {front['ratio_p99']:.2f} "
        f"| {front['alone']['cpu_us_per_request']:.0f} / {front['front']['cpu_us_per_request']:.0f} |"
    )
    batch = figures["batch"]
    lines += [
        "",
        f"Batches of 1,000 on 2 connections: {batch['patients_per_s']:.0f} patients/s, "
        f"{batch['cpu_us_per_patient']:.1f} µs of server CPU per patient.",
    ]
    slow = figures["slow"]
    lines += [
        "",
        f"Slow clients, all at once ({slow['slow_clients']:,}): {slow['answered_within_1s']:.1%} of "
        f"{slow['probes']} health probes answered within 1 s.",
        "",
        "| kind | clients | deadline s | held s: min / median / max | cut within the deadline |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {k['clients']} | {k['deadline_s']} | {k['held_min_s']:.1f} / {k['held_median_s']:.1f} / "
        f"{k['held_max_s']:.1f} | {k['cut_within_deadline']:.0%} |"
        for name, k in slow["kinds"].items()
    ]
    lines += ["", "| target | measured | goal | met |", "|---|---|---|---|"]
    for label, path, op, goal in TARGETS:
        measured = figures
        for key in path:
            measured = measured[key]
        met = measured >= goal if op == ">=" else measured <= goal
        lines.append(f"| {label} | {measured:.3g} | {op} {goal} | {'yes' if met else 'NO'} |")
    extra = figures["in_process"]
    rates = ", ".join(f"{extra[f'batch_patients_per_s_{n}']:.0f}" for n in (1, 100, 1000))
    lines += [
        "",
        f"In process: points and tiers alone {extra['points_only_us_per_patient']:.1f} µs per patient; "
        f"a request through the test client {extra['request_us']:.0f} µs "
        f"({extra['request_us_without_lane']:.0f} µs without the fast lane: "
        f"{extra['request_us_without_lane'] / extra['request_us']:.2f}×); "
        f"batch patients/s at 1, 100, 1,000: {rates}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    patients = distinct_patients()
    files = {"distinct": RESULTS / "distinct.jsonl", "readme": RESULTS / "readme.jsonl"}
    files["distinct"].write_text("".join(json.dumps(p, separators=(",", ":")) + "\n" for p in patients))
    files["readme"].write_text(json.dumps(HIGH_RISK, separators=(",", ":")) + "\n")
    print(f"cores: {os.cpu_count()}", flush=True)
    figures = {}
    for name, path in files.items():
        loads = side_by_side(path)
        loads["ratio_rps"] = loads["service"]["rps"] / loads["floor"]["rps"]
        loads["ratio_p99"] = loads["service"]["p99_ms"] / loads["floor"]["p99_ms"]
        figures[name] = loads
    front = front_cost(files["readme"])
    front["ratio_rps"] = front["front"]["rps"] / front["alone"]["rps"]
    front["ratio_p99"] = front["front"]["p99_ms"] / front["alone"]["p99_ms"]
    figures["front"] = front
    figures["batch"] = batch_cost(patients)
    figures["batch"]["cost_vs_single"] = (
        figures["batch"]["cpu_us_per_patient"] / figures["distinct"]["service"]["cpu_us_per_request"]
    )
    figures["in_process"] = in_process(patients)
    figures["hostile"] = amplification_cost(KEY, server_cpu_seconds, _rss_mb)
    figures["slow"] = probes_under_slow_clients(KEY)
    figures["population"] = population.figures()
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2) + "\n")
    table = markdown(figures) + "\n" + population.markdown(figures["population"])
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
