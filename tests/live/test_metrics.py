"""Prometheus metrics under two gunicorn workers: every worker's counts in one scrape."""

from __future__ import annotations

import requests

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import AUTH, metric
from tests.live.server import LiveServer

REQUESTS = 60


def test_counts_add_up_across_two_workers():
    high = ASSESSMENT_EXAMPLES["high"]["value"]
    with LiveServer(workers=2, API_KEYS=AUTH["Authorization"].split()[1]) as server:
        for _ in range(REQUESTS):  # a new connection each time, so both workers take some
            assert requests.post(f"{server.url}/v1/assessments", json=high, headers=AUTH, timeout=10).ok
        for _ in range(5):
            requests.post(f"{server.url}/v1/assessments", json={}, headers=AUTH, timeout=10)
        requests.get(f"{server.url}/v1/model", timeout=10)  # 401
        workers = server.worker_pids()
        written = {p.name for p in (server.workdir / "metrics").glob("counter_*.db")}
        text = requests.get(f"{server.url}/metrics", headers=AUTH, timeout=10).text
    assert len(workers) == 2 and all(f"counter_{pid}.db" in written for pid in workers)
    assert (
        metric(text, "http_requests_total", endpoint="/v1/assessments", method="POST", status="200")
        == REQUESTS
    )
    assert metric(text, "http_requests_total", endpoint="/v1/assessments", method="POST", status="422") == 5
    assert metric(text, "assessments_total", outcome="pseudarthrosis", tier="high") == REQUESTS
    assert metric(text, "assessments_total", outcome="hardware_failure", tier="high") == REQUESTS
    assert metric(text, "errors_total", type="invalid") == 5
    assert metric(text, "errors_total", type="unauthorized") == 1
    assert (
        metric(text, "http_request_duration_seconds_count", endpoint="/v1/assessments", method="POST")
        == REQUESTS + 5
    )


def test_no_metrics_files_are_left_after_shutdown():
    with LiveServer(workers=2, API_KEYS=AUTH["Authorization"].split()[1]) as server:
        requests.get(f"{server.url}/healthz", timeout=10)
        directory = server.workdir / "metrics"
        assert list(directory.glob("*.db"))
    assert server.process.returncode == 0
    assert list(directory.glob("*.db")) == []
