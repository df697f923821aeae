"""The gunicorn worker's parts: a deadline per request, the status of what gunicorn refuses."""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import threading
import time

import pytest
from gunicorn.config import Config
from gunicorn.http import errors

from service.ops.metrics import Metrics
from service.ops.refusals import UnsupportedVersion, client_caused, refuse_unusual, status_of
from service.ops.worker import DeadlineSocket, RequestReadTimeout, ServiceWorker


@pytest.fixture
def pair():
    left, right = socket.socketpair()
    client = DeadlineSocket(right.family, right.type, right.proto, fileno=right.detach())
    client.read_limit = 0.3
    yield left, client
    left.close()
    client.close()


def test_a_request_that_arrives_in_time_is_read(pair):
    sender, client = pair
    sender.sendall(b"GET / HTTP/1.1\r\n")
    assert client.recv(100) == b"GET / HTTP/1.1\r\n"


def test_a_client_that_drips_past_the_deadline_is_cut_off(pair):
    sender, client = pair
    started = time.monotonic()
    with pytest.raises(RequestReadTimeout):
        for _ in range(20):  # bounded: one byte every 0.05 s never ends otherwise
            sender.sendall(b"x")
            client.recv(1)
            time.sleep(0.05)
    assert time.monotonic() - started < 2


def test_a_silent_client_times_out_as_a_timeout(pair):
    _, client = pair
    with pytest.raises(TimeoutError):
        client.recv(10)


def test_answering_starts_the_next_requests_clock(pair):
    sender, client = pair
    sender.sendall(b"a")
    client.recv(1)
    time.sleep(0.35)
    client.sendall(b"answer")  # the first request is over
    sender.sendall(b"b")
    assert client.recv(1) == b"b"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.LimitRequestLine(5000, 4094), 414),
        (errors.LimitRequestHeaders("too many"), 431),
        (errors.InvalidRequestLine("x"), 400),
        (errors.InvalidChunkSize(b"zz"), 400),
        (errors.InvalidHeaderName("x y"), 400),
        (errors.UnsupportedTransferCoding("gzip"), 501),
        (UnsupportedVersion("HTTP/1.7"), 505),
        (errors.InvalidResponseHeader("x"), 500),
        (RuntimeError("bug"), 500),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_status_of_what_gunicorn_refuses(error, status):
    assert status_of(error) == status


def test_only_what_the_application_caused_is_logged_as_an_error():
    assert client_caused(errors.UnsupportedTransferCoding("gzip"))
    assert client_caused(UnsupportedVersion("HTTP/1.7"))
    assert not client_caused(errors.InvalidResponseHeader("x"))


class Parsed:
    """What gunicorn's parser hands the worker: a version and upper-cased header names."""

    def __init__(self, version=(1, 1), *headers):
        self.version, self.headers = version, list(headers)


@pytest.mark.parametrize(
    "request_",
    [
        Parsed((1, 7)),
        Parsed((1, 2)),
        Parsed((1, 1), ("TRANSFER-ENCODING", "identity, chunked")),
        Parsed((1, 1), ("TRANSFER-ENCODING", "gzip, chunked")),
        Parsed((1, 1), ("TRANSFER-ENCODING", "chunked"), ("TRANSFER-ENCODING", "chunked")),
    ],
    ids=["1.7", "1.2", "identity-chunked", "gzip-chunked", "twice"],
)
def test_unusual_versions_and_transfer_codings_are_refused(request_):
    with pytest.raises((UnsupportedVersion, errors.UnsupportedTransferCoding)) as refused:
        refuse_unusual(request_)
    assert status_of(refused.value) in (501, 505)


@pytest.mark.parametrize(
    "request_",
    [Parsed((1, 0)), Parsed((1, 1)), Parsed((1, 1), ("TRANSFER-ENCODING", "Chunked"))],
    ids=["1.0", "1.1", "chunked"],
)
def test_usual_requests_pass(request_):
    refuse_unusual(request_)


def test_a_reader_too_slow_for_the_whole_answer_is_cut_off(pair):
    """The write deadline covers the whole answer, not each part: a reader taking a little now and
    then cannot hold the thread past it."""
    reader, client = pair
    client.write_limit = 0.5
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    started = time.monotonic()
    with pytest.raises(BrokenPipeError):
        for _ in range(400):  # bounded: 8 KB parts, a little taken after each
            client.sendall(b"x" * 8192)
            reader.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                reader.recv(4096)
            time.sleep(0.01)
    assert time.monotonic() - started < 2


def test_metric_labels_come_from_fixed_sets():
    metrics = Metrics()
    for index in range(50):
        metrics.record("(unmatched)", "other", 400 + index, 0.001)
    statuses = {key[2] for key in metrics._requests}
    assert statuses <= {400, 401, 403, 404, 405, 408, 413, 414, 415, 417, 422, 431, "4xx"}


@pytest.fixture
def stopping_worker():
    """A worker with a listener three connections wait in, its thread pool and poller made, and
    what it hands to the pool recorded instead of run."""
    listener = socket.create_server(("127.0.0.1", 0))
    waiting = [socket.create_connection(listener.getsockname(), timeout=5) for _ in range(3)]
    worker = ServiceWorker(0, os.getpid(), [listener], None, 30, Config(), None)
    worker.read_limit = 1.0
    worker.tpool = worker.get_thread_pool()
    worker.poller = selectors.DefaultSelector()
    worker.method_queue.init()
    worker.handed: list = []
    worker.enqueue_req = worker.handed.append
    worker.set_accept_enabled(True)
    yield worker, listener
    worker.tpool.shutdown(wait=False)
    worker.method_queue.close()
    worker.poller.close()
    worker.tmp.close()
    for connection in [*waiting, *(conn.sock for conn in worker.handed)]:
        connection.close()
    listener.close()


def test_sigterm_while_the_main_thread_holds_the_pools_lock_does_not_deadlock(stopping_worker):
    """The handler runs on the main thread wherever it was interrupted, possibly inside
    `tpool.submit`: it must not need the pool (a handler that accepted would wait forever)."""
    worker, _ = stopping_worker
    del worker.enqueue_req  # the real one, which submits to the pool
    handled = threading.Event()
    with worker.tpool._shutdown_lock:
        threading.Thread(target=lambda: (worker.handle_exit(15, None), handled.set()), daemon=True).start()
        assert handled.wait(2)
    assert not worker.alive


def test_a_stopping_worker_takes_the_queued_connections_then_stops_listening(stopping_worker):
    worker, listener = stopping_worker
    worker.handle_exit(15, None)
    assert worker.handed == []  # nothing done in the handler
    worker.set_accept_enabled(False)  # what the main loop does once SIGTERM has ended it
    assert len(worker.handed) == 3 and worker.nr_conns == 3
    assert listener.fileno() == -1


def test_a_full_worker_that_pauses_listening_keeps_its_listener(stopping_worker):
    worker, listener = stopping_worker
    worker.set_accept_enabled(False)  # alive: at its connection limit, not stopping
    assert worker.handed == [] and listener.fileno() != -1
