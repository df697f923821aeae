"""The benchmark's own arithmetic: reading wrk, reading CPU times, judging the targets.

`make bench` itself is never part of the test suite (it takes minutes and measures the
machine); these check the parts that could silently report wrong figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import run

WRK_REPORT = """\
Running 1s test @ http://127.0.0.1:57869/floor
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   357.73us   96.09us   2.39ms   95.12%
    Req/Sec     5.01k   427.01     5.63k    63.64%
  Latency Distribution
     50%  337.00us
     75%  378.00us
     90%  418.00us
     99%    1.17ms
  5483 requests in 1.10s, 0.91MB read
Requests/sec:   4985.13
Transfer/sec:    847.08KB
"""


def test_wrk_report_is_read_in_milliseconds():
    assert run.parse_wrk(WRK_REPORT) == {"requests": 5483, "rps": 4985.13, "p50_ms": 0.337, "p99_ms": 1.17}


@pytest.mark.parametrize(
    "trouble", ["  Non-2xx or 3xx responses: 3\n", "  Socket errors: connect 0, read 2, write 0, timeout 1\n"]
)
def test_a_run_with_failures_is_refused(trouble):
    with pytest.raises(RuntimeError, match="wrk: "):
        run.parse_wrk(WRK_REPORT + trouble)


def test_cpu_times_of_a_process_grow_with_its_work():
    before = sum(run._cpu_times(os.getpid())[:2])
    deadline = os.times().elapsed + 0.2
    while os.times().elapsed < deadline:  # bounded: 0.2 s of work
        sum(range(10_000))
    assert sum(run._cpu_times(os.getpid())[:2]) > before


def figures(**overrides):
    load = {
        "floor": {"rps": 1000.0, "p50_ms": 5.0, "p99_ms": 10.0, "cpu_us_per_request": 200.0},
        "service": {"rps": 900.0, "p50_ms": 5.5, "p99_ms": 11.0, "cpu_us_per_request": 230.0,
                    "rss_mb_per_worker": 40.0},
        "ratio_rps": 0.9,
        "ratio_p99": 1.1,
    }  # fmt: skip
    alone = {"rps": 1000.0, "p50_ms": 5.0, "p99_ms": 10.0, "cpu_us_per_request": 200.0}
    result = {
        "distinct": load,
        "readme": load,
        "front": {"alone": alone, "front": {**alone, "rps": 800.0}, "ratio_rps": 0.8, "ratio_p99": 1.1},
        "batch": {"cpu_us_per_patient": 40.0, "patients_per_s": 40000.0, "cost_vs_single": 0.17},
        "in_process": {
            "score_us_per_patient": 23.0,
            "points_only_us_per_patient": 6.0,
            "request_us": 120.0,
            "request_us_without_lane": 210.0,
            "batch_patients_per_s_1": 4000.0,
            "batch_patients_per_s_100": 25000.0,
            "batch_patients_per_s_1000": 25000.0,
            "cold_start_s": 0.3,
        },
        "hostile": {
            "worst_cpu_s_per_request": 0.2,
            "bundle_without_patient_cpu_s": 0.15,
            "prefetch_cpu_s": 0.1,
            "openapi_yaml_cpu_ms": 2.0,
            "rss_mb_after": 60.0,
        },
        "slow": {
            "slow_clients": 4000,
            "probes": 100,
            "answered_within_1s": 1.0,
            "cut_within_deadline": 1.0,
            "kinds": {
                "idle": {
                    "clients": 1000,
                    "deadline_s": 10,
                    "held_min_s": 9.9,
                    "held_median_s": 10.0,
                    "held_max_s": 10.1,
                    "cut_within_deadline": 1.0,
                }
            },
        },
    }
    for path, value in overrides.items():
        *parents, key = path.split(".")
        node = result
        for name in parents:
            copy = dict(node[name])  # shared parts stay untouched
            node[name] = copy
            node = copy
        node[key] = value
    return result


def verdicts(table: str) -> dict[str, str]:
    return {row.split(" | ")[0].strip("| "): row.split(" | ")[-1].strip(" |") for row in table.splitlines()
            if row.startswith("| ") and row.endswith(("yes |", "NO |"))}  # fmt: skip


def test_targets_are_judged_from_the_figures():
    assert set(verdicts(run.markdown(figures())).values()) == {"yes"}
    worse = {
        "distinct.ratio_rps": 0.84,
        "in_process.score_us_per_patient": 25.5,
        "hostile.worst_cpu_s_per_request": 1.2,
        "hostile.bundle_without_patient_cpu_s": 0.4,
        "slow.answered_within_1s": 0.9,
        "slow.cut_within_deadline": 0.99,
    }
    missed = verdicts(run.markdown(figures(**worse)))
    assert [label for label, verdict in missed.items() if verdict == "NO"] == [
        "throughput, distinct patients (× floor, both behind the front)",
        "scoring function: a patient's whole assessment (µs)",
        "hostile body within the limits: server CPU (s)",
        "1.9 MB Bundle, 2,000 × 300 codings, no Patient: server CPU (s)",
        "health probes answered within 1 s, 1,000 slow clients of each kind",
        "slow clients cut within their deadline (share, worst kind)",
    ]


def test_the_fronts_cost_and_the_slow_clients_are_reported():
    table = run.markdown(figures())
    assert "| the front (floor alone → behind it) | 1000 | 800 | 0.80 |" in table
    assert "| idle | 1000 | 10 | 9.9 / 10.0 / 10.1 | 100% |" in table


def test_the_lanes_gain_is_reported_as_a_ratio():
    assert "210 µs without the fast lane: 1.75×" in run.markdown(figures())


def test_the_population_targets_are_judged_from_the_ratios():
    from bench import population

    found = {
        "in_process": {"rows_per_s": 100.0, "rows_per_cpu_s": 100.0},
        **{
            name: {"rows_per_s": 90.0, "rows_per_cpu_s": 85.0, "peak_rss_mb": 200.0}
            for name in ("one_worker", "two_workers", "large_two_workers")
        },
        "ratios": {"end_to_end_vs_in_process": 0.85, "two_workers_vs_one": 1.2, "rss_large_vs_small": 1.15},
    }
    table = population.markdown(found)
    assert (
        "| 0.85 | >= 0.8 | yes |" in table
        and "| 1.2 | >= 1.6 | NO |" in table
        and "| 1.15 | <= 1.1 | NO |" in table
    )


def test_a_worker_that_has_exited_counts_no_memory():
    """A recycled worker the master has not reaped yet has no VmRSS; a reaped one no /proc entry."""
    assert run._rss_mb(os.getpid()) > 0
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    status = Path(f"/proc/{exited.pid}/status")
    for _ in range(500):  # up to 5 s for it to exit (a zombie until waited for)
        if "\nState:\tZ" in status.read_text():
            break
        time.sleep(0.01)
    assert run._rss_mb(exited.pid) == 0.0
    exited.wait()
    assert run._rss_mb(exited.pid) == 0.0
