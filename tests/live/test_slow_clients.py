"""Slow clients against the service as deployed (the front before gunicorn): a thousand of each
kind at once never stop the health probes, and each is cut within its documented deadline. And
gunicorn's own deadlines, which hold under `make run` (no front). Every loop here is bounded."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from service.config import DEFAULTS
from tests.helpers import AUTH
from tests.live.server import LiveServer, raw_exchange
from tests.live.slow_clients import KINDS, MARGIN, hold, raise_file_limit

KEY = AUTH["Authorization"].split()[1]
THOUSAND = 1000


@pytest.fixture(scope="module")
def front():
    with LiveServer(workers=2, front=True, API_KEYS=KEY) as server:
        yield server


def test_a_thousand_slow_clients_of_each_kind_do_not_stop_the_service(front):
    longest = max(kind.deadline for kind in KINDS.values())
    outcome = hold(front.port, dict.fromkeys(KINDS, THOUSAND), seconds=longest + MARGIN + 1)
    assert outcome.probes >= 50 and outcome.share_answered() >= 0.95, (outcome.answered, outcome.probes)
    for name, kind in KINDS.items():
        held = outcome.held[name]
        assert len(held) == THOUSAND
        assert not outcome.late(name), f"{name}: {len(outcome.late(name))} not cut within {kind.deadline} s"
        assert min(held) >= kind.deadline / 2, f"{name}: cut at {min(held):.1f} s, never really held"


def test_one_address_has_at_most_its_connections_under_way(front):
    """The connections of one client address, counted once their request's head has arrived: past
    the limit, a 429 problem at once; other addresses are served as usual."""
    limit = DEFAULTS["FRONT_CONNECTIONS_PER_CLIENT"]
    raise_file_limit(limit + 256)
    head = (
        b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 99\r\n\r\n"
    )
    held = []
    try:
        for _ in range(limit):
            connection = socket.socket()
            connection.bind(("127.0.0.9", 0))
            connection.settimeout(5)
            connection.connect(("127.0.0.1", front.port))
            connection.sendall(head)
            held.append(connection)
        time.sleep(0.5)  # every head has been read
        status, headers, body = raw_exchange(
            front.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", source="127.0.0.9"
        )
        assert status == 429 and headers["Content-Type"] == "application/problem+json", body
        assert requests.get(f"{front.url}/healthz", timeout=5).status_code == 200
    finally:
        for connection in held:
            connection.close()


def test_a_request_that_takes_longer_than_the_read_timeout_is_cut_off():
    """gunicorn alone (`make run`): every request must arrive within REQUEST_READ_TIMEOUT."""
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


def test_an_unread_body_is_drained_for_five_seconds_at_most():
    """gunicorn alone: a request refused before its body was read (401 without a key) has the rest of
    its body drained for at most the drain's 5 s after the answer, however slowly it drips."""
    with LiveServer(workers=1, API_KEYS=KEY) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(
                b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 60000\r\n\r\n{"
            )
            answer = connection.recv(4096)
            answered = time.monotonic()
            assert answer.startswith(b"HTTP/1.1 401"), answer[:100]
            connection.settimeout(0.1)
            closed = False
            for _ in range(100):  # a byte every 0.1 s: 10 s at most
                try:
                    connection.sendall(b" ")
                    closed = connection.recv(100) == b""
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
                if closed:
                    break
        assert closed and time.monotonic() - answered < 5 + MARGIN
