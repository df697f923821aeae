"""Slow clients on the real server: they hold a thread each, never the service; and each request
must arrive within REQUEST_READ_TIMEOUT. Every loop here is bounded in count and time."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import requests

from tests.helpers import AUTH
from tests.live.server import LiveServer

KEY = AUTH["Authorization"].split()[1]
SLOW_CLIENTS = 8
PROBES = 40


def drip(port: int, stop: threading.Event, opened: list[int]) -> None:
    """Open a request and send one more header line every 0.5 s until told to stop (at most 30 s)."""
    deadline = time.monotonic() + 30
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\n")
        opened.append(1)
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                connection.sendall(b"X-Slow: 1\r\n")
            except OSError:
                return  # cut off by the server
            stop.wait(0.5)


def test_eight_slow_clients_do_not_stop_the_others():
    with LiveServer(workers=2, API_KEYS=KEY) as server:
        stop, opened = threading.Event(), []
        slow = [threading.Thread(target=drip, args=(server.port, stop, opened)) for _ in range(SLOW_CLIENTS)]
        for thread in slow:
            thread.start()
        try:
            while len(opened) < SLOW_CLIENTS:
                time.sleep(0.05)
            time.sleep(1)  # each slow client now holds what it can
            answered = 0
            for _ in range(PROBES):
                with contextlib.suppress(requests.RequestException):
                    answered += requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
        finally:
            stop.set()
            for thread in slow:
                thread.join(timeout=10)
    assert answered == PROBES


def test_a_request_that_takes_longer_than_the_read_timeout_is_cut_off():
    with LiveServer(workers=1, API_KEYS=KEY, REQUEST_READ_TIMEOUT="1") as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started, closed = time.monotonic(), False
            for _ in range(40):  # 0.1 s apart: 4 s at most, far past the 1 s allowed
                try:
                    connection.sendall(b"X-Slow: 1\r\n")
                    time.sleep(0.1)
                except OSError:
                    closed = True
                    break
            if not closed:
                connection.settimeout(2)
                closed = connection.recv(100) == b""
        assert closed and time.monotonic() - started < 4
        # A prompt client on the same server is served as usual.
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
