"""Slow clients by the thousand, in one thread: nonblocking sockets, every loop bounded in time.

Each kind holds its connections the way a slowloris script does; `hold` opens them all, probes
`/healthz` meanwhile from another address, and records when the server cut each one (the TCP
state, read without reading the socket: a slow reader must never take a byte). The slow clients
come from 127.0.0.10 and up, `PER_ADDRESS` each (the whole of 127/8 is this machine's loopback):
as many addresses as a small botnet, each under the front's per-client connection limit.
"""

from __future__ import annotations

import contextlib
import http.client
import resource
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from service.ops import front

PER_ADDRESS = 50
FIRST_ADDRESS = 10  # 127.0.0.10: the probes use 127.0.0.1
PROBE_EVERY = 0.1
PROBE_TIMEOUT = 1.0
MARGIN = 3.0  # seconds past a deadline allowed for timers and this shared, noisy machine
DRIP_EVERY = 1.0
LARGEST_OPEN_ASSET = "/docs/assets/swagger-ui-bundle.js"
OPEN_STATES = {1, 2}  # TCP_ESTABLISHED, TCP_SYN_SENT (include/net/tcp_states.h)


@dataclass(frozen=True)
class Kind:
    """A way to be slow: what is sent first, what is dripped after, and the front's deadline."""

    first: bytes
    drip: bytes
    deadline: float


KINDS = {
    "partial headers": Kind(
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n", front.TIMEOUTS["HEADER_TIMEOUT"]
    ),
    "slow body": Kind(
        b"POST /v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2000\r\n\r\n" + b'{"age": 70' + b" " * 90,
        b"",  # then nothing: the front cuts a body that stalls
        front.TIMEOUTS["BODY_TIMEOUT"],
    ),
    "idle": Kind(b"", b"", front.TIMEOUTS["HEADER_TIMEOUT"]),
    "slow readers": Kind(
        f"GET {LARGEST_OPEN_ASSET} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), b"", front.TIMEOUTS["SEND_TIMEOUT"]
    ),
}


@dataclass
class Client:
    kind: str
    sock: socket.socket
    started: float = 0.0
    cut: float | None = None


@dataclass
class Outcome:
    """What the slow clients met, per kind, and how the probes fared meanwhile."""

    held: dict[str, list[float]] = field(default_factory=dict)  # seconds until cut (inf: never)
    probes: int = 0
    answered: int = 0

    def share_answered(self) -> float:
        return self.answered / self.probes if self.probes else 0.0

    def late(self, kind: str) -> list[float]:
        return [s for s in self.held[kind] if s > KINDS[kind].deadline + MARGIN]


def raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else wanted, hard))


def hold(port: int, counts: dict[str, int], seconds: float) -> Outcome:
    """Open `counts[kind]` slow clients of each kind, probe meanwhile, and return what happened
    within `seconds` (clients not cut by then count as held forever)."""
    raise_file_limit(sum(counts.values()) + 256)
    clients = _open(port, counts)
    outcome = Outcome()
    stop = threading.Event()
    prober = threading.Thread(target=_probe, args=(port, outcome, stop))
    prober.start()
    try:
        _watch(clients, time.monotonic() + seconds)
    finally:
        stop.set()
        prober.join(timeout=PROBE_TIMEOUT + 5)
        for client in clients:
            client.sock.close()
    for kind in counts:
        outcome.held[kind] = [
            (c.cut - c.started) if c.cut is not None else float("inf") for c in clients if c.kind == kind
        ]
    return outcome


def _open(port: int, counts: dict[str, int]) -> list[Client]:
    clients = []
    for kind, count in counts.items():
        for _ in range(count):
            index = len(clients)
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a reader that takes nothing
            sock.bind((f"127.0.0.{FIRST_ADDRESS + index // PER_ADDRESS}", 0))
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", port))
            clients.append(Client(kind, sock))
    deadline = time.monotonic() + 10
    pending = list(clients)
    while pending and time.monotonic() < deadline:  # connected: writable
        pending = [c for c in pending if _state(c.sock) != 1]
        time.sleep(0.01)
    for client in clients:
        client.started = time.monotonic()
        with contextlib.suppress(OSError):
            client.sock.send(KINDS[client.kind].first)
    return clients


def _watch(clients: list[Client], until: float) -> None:
    """Drip what each kind drips, and note when each connection is no longer open."""
    next_drip = time.monotonic() + DRIP_EVERY
    while time.monotonic() < until and any(c.cut is None for c in clients):
        now = time.monotonic()
        for client in clients:
            if client.cut is None and _state(client.sock) not in OPEN_STATES:
                client.cut = now
        if now >= next_drip:
            next_drip = now + DRIP_EVERY
            for client in clients:
                drip = KINDS[client.kind].drip
                if drip and client.cut is None:
                    with contextlib.suppress(OSError):
                        client.sock.send(drip)
        time.sleep(0.1)


def _state(sock: socket.socket) -> int:
    """The connection's TCP state (struct tcp_info's first byte), read without reading the socket."""
    try:
        return struct.unpack("B", sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1))[0]
    except OSError:
        return 0


def _probe(port: int, outcome: Outcome, stop: threading.Event) -> None:
    while not stop.wait(PROBE_EVERY):
        outcome.probes += 1
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_TIMEOUT)
        started = time.monotonic()
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            if response.status == 200 and time.monotonic() - started <= PROBE_TIMEOUT:
                outcome.answered += 1
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
