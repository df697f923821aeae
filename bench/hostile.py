"""Hostile load on the real server: CPU and memory per amplification body, and health probes
answered while slow clients hold connections. Only 127.0.0.1; every loop bounded."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import requests

from tests.live.server import LiveServer
from tests.live.test_hostile import amplification

SLOW_CLIENTS = 8
PROBE_SECONDS = 10
PROBE_TIMEOUT = 1.0


def amplification_cost(key: str, cpu_seconds, rss_mb) -> dict[str, float]:
    """Send each amplification body once; return the worst server CPU seconds per request and
    the largest worker RSS after all of them (MB)."""
    headers = {"Authorization": f"Bearer {key}"}
    worst = 0.0
    with LiveServer(workers=2, API_KEYS=key) as server:
        for _name, method, path, kwargs in amplification():
            before = cpu_seconds(server)
            extra = {**headers, **kwargs.get("headers", {})}
            body = {k: v for k, v in kwargs.items() if k != "headers"}
            status = requests.request(
                method, server.url + path, headers=extra, timeout=30, **body
            ).status_code
            if status >= 500:
                raise RuntimeError(f"{path}: {status}")
            worst = max(worst, cpu_seconds(server) - before)
        rss = max(rss_mb(pid) for pid in server.worker_pids())
    return {"worst_cpu_s_per_request": worst, "rss_mb_after": rss}


def probes_under_slow_clients(key: str) -> dict[str, float]:
    """Hold SLOW_CLIENTS connections sending a header line every 0.5 s, probe /healthz for
    PROBE_SECONDS; return the share of probes answered within PROBE_TIMEOUT."""
    with LiveServer(workers=2, API_KEYS=key) as server:
        stop = threading.Event()
        threads = [threading.Thread(target=_drip, args=(server.port, stop)) for _ in range(SLOW_CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        answered = sent = 0
        end = time.monotonic() + PROBE_SECONDS
        while time.monotonic() < end:
            sent += 1
            with contextlib.suppress(requests.RequestException):
                answered += requests.get(f"{server.url}/healthz", timeout=PROBE_TIMEOUT).ok
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    return {"slow_clients": SLOW_CLIENTS, "probes": sent, "answered_within_1s": answered / sent}


def _drip(port: int, stop: threading.Event) -> None:
    deadline = time.monotonic() + PROBE_SECONDS + 20
    while not stop.is_set() and time.monotonic() < deadline:  # reconnect when cut off
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
                connection.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\n")
                while not stop.wait(0.5):
                    connection.sendall(b"X-Slow: 1\r\n")
        except OSError:
            stop.wait(0.2)
