"""Faults under load on the real server: a worker killed, the master stopped. Bounded runs only."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from schemas import ASSESSMENT_EXAMPLES
from tests.helpers import AUTH, wait_for
from tests.live.server import LiveServer

KEY = AUTH["Authorization"].split()[1]
HIGH = ASSESSMENT_EXAMPLES["high"]["value"]
THREADS = 6
PER_THREAD = 120  # bounded in count...
SECONDS = 20  # ...and in time


def load(url: str, outcomes: list[str], stop: threading.Event) -> None:
    """Send bounded requests, each on a new connection, recording how each ended."""
    deadline = time.monotonic() + SECONDS
    for _ in range(PER_THREAD):
        if stop.is_set() or time.monotonic() > deadline:
            return
        try:
            response = requests.post(f"{url}/v1/assessments", json=HIGH, headers=AUTH, timeout=10)
            outcomes.append("ok" if response.status_code == 200 else f"status {response.status_code}")
        except requests.RequestException as error:
            outcomes.append(type(error).__name__)


@pytest.mark.parametrize("front", [True, False], ids=["deployed", "gunicorn-alone"])
def test_a_killed_worker_is_replaced_and_only_its_request_in_flight_fails(front):
    with LiveServer(workers=2, front=front, API_KEYS=KEY) as server:
        before = server.worker_pids()
        outcomes: list[str] = []
        stop = threading.Event()
        threads = [threading.Thread(target=load, args=(server.url, outcomes, stop)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        assert wait_for(lambda: len(outcomes) >= 50)
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=SECONDS + 10)
        stop.set()
        assert wait_for(lambda: len(server.worker_pids()) == 2 and victim not in server.worker_pids())
        assert requests.get(f"{server.url}/readyz", timeout=5).status_code == 200
    failures = [o for o in outcomes if o != "ok"]
    # Only what the killed worker held can fail: each client thread has at most one request out.
    assert len(failures) <= THREADS, failures
    assert len(outcomes) == THREADS * PER_THREAD


@pytest.mark.parametrize("front", [True, False], ids=["deployed", "gunicorn-alone"])
def test_sigterm_lets_in_flight_requests_finish_and_refuses_new_ones(front):
    body = json.dumps(HIGH).encode()
    signalled = threading.Event()
    uploading: list[int] = []

    def slow_body():
        """Send half the body, hold the rest until SIGTERM has been sent: a request in flight."""
        yield body[:10]
        uploading.append(1)
        signalled.wait(10)
        yield body[10:]

    with LiveServer(workers=2, front=front, API_KEYS=KEY) as server:
        results: list[int | str] = []

        def in_flight_call():
            headers = {**AUTH, "Content-Type": "application/json"}
            try:
                results.append(
                    requests.post(
                        f"{server.url}/v1/assessments", data=slow_body(), headers=headers, timeout=30
                    ).status_code
                )
            except requests.RequestException as error:
                results.append(type(error).__name__)

        calls = [threading.Thread(target=in_flight_call) for _ in range(2)]  # one per worker
        for call in calls:
            call.start()
        assert wait_for(lambda: len(uploading) == 2)
        time.sleep(0.3)  # both workers are reading their request
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(requests.ConnectionError) as refused:
            requests.get(f"{server.url}/healthz", timeout=5)
        assert not isinstance(refused.value, requests.ReadTimeout)  # refused, not left hanging
        assert time.monotonic() - started < 2
        signalled.set()
        for call in calls:
            call.join(timeout=30)
        assert server.process.wait(timeout=30) == 0
    assert results == [200, 200]


def test_connections_queued_at_sigterm_are_answered_not_reset():
    """gunicorn alone: connections the kernel has queued but no worker has taken yet: on SIGTERM
    the worker takes them all before it stops listening, so each gets its answer; later ones are
    refused. (Deployed, the front takes every connection at once.)"""
    with LiveServer(workers=1, API_KEYS=KEY) as server:
        (worker,) = server.worker_pids()
        os.kill(worker, signal.SIGSTOP)  # nobody accepts: connections wait in the queue
        try:
            queued = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(5)]
            for connection in queued:
                connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            server.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)  # the master has closed its copy of the listener
        finally:
            os.kill(worker, signal.SIGCONT)
        answers = []
        for connection in queued:
            with connection:
                try:
                    answers.append(connection.recv(4096).split(b"\r\n", 1)[0])
                except ConnectionResetError:
                    answers.append(b"reset")
        assert server.process.wait(timeout=30) == 0
    assert answers == [b"HTTP/1.1 200 OK"] * 5
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5)


def test_the_benchs_floor_runs_under_the_same_worker_and_settings():
    """`make bench` runs a bare Flask app beside the service with gunicorn.conf.py: the worker must
    not depend on the service's app to boot."""
    with LiveServer(workers=1, app="bench.floor:app", ready="/floor") as floor:
        assert requests.post(f"{floor.url}/floor", timeout=5).status_code == 200


@pytest.mark.parametrize("victim", ["nginx", "gunicorn"])
def test_the_deployed_service_stops_whole_when_either_process_dies(victim):
    """One of the two gone, the other is stopped and the container's command exits non-zero (the
    orchestrator restarts it): never a front without a service, nor a service without its front."""
    with LiveServer(workers=1, front=True, API_KEYS=KEY) as server:
        gunicorn = server.gunicorn_pid()
        (nginx,) = [pid for pid in server.children() if pid != gunicorn]
        everyone = _descendants(server.process.pid)  # masters, workers, nginx's cache manager
        os.kill(nginx if victim == "nginx" else gunicorn, signal.SIGKILL)
        assert server.process.wait(timeout=40) != 0
        assert wait_for(lambda: not any(_alive(pid) for pid in everyone))


def _descendants(pid: int) -> list[int]:
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _alive(pid: int) -> bool:
    """A process still running (a zombie awaiting its parent's wait counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
