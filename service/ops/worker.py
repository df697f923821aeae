"""The gunicorn worker: threads, deadlines for reading each request and writing each answer, server
errors as problems, and no connection reset at shutdown.

gunicorn's own workers either give a whole process to one connection (sync: two slow clients
stop the service) or a thread to a request for as long as its client takes to send it
(gthread). This one is gthread with every exchange bounded: a request's headers and body must
arrive within `REQUEST_READ_TIMEOUT` seconds of its first byte, its answer must be taken within
WRITE_TIMEOUT seconds, and an unread body is drained for DRAIN_TIMEOUT seconds at most, or the
connection is closed. In production the front (nginx) buffers both ways, so no client's pace
reaches these threads at all; these deadlines hold where gunicorn faces clients itself.
"""

from __future__ import annotations

import errno
import socket
import time
from typing import Any

from gunicorn import util
from gunicorn.glogging import Logger
from gunicorn.http import errors
from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, TConn, ThreadWorker

from ..config import DEFAULTS, ConfigError, from_environ
from .refusals import client_caused, refuse_unusual, status_of

READ_TIMEOUT = "REQUEST_READ_TIMEOUT"
WRITE_TIMEOUT = 30.0  # seconds a client may take to accept a whole answer
DRAIN_TIMEOUT = DEFAULT_WORKER_DATA_TIMEOUT  # seconds an unread body is drained after the answer (5)


class RequestReadTimeout(errors.NoMoreData, TimeoutError):
    """The client took longer than the deadline to send its request. gunicorn closes the
    connection (NoMoreData); the application, reading a body, answers 408 (TimeoutError)."""


class DeadlineSocket(socket.socket):
    """A client connection whose every request must arrive within `read_limit` seconds of its
    first byte (each recv waits only for what is left), and whose every answer must be taken within
    `write_limit` seconds of its first byte; answering starts the next request's clock."""

    read_limit: float  # set on each connection by the worker
    write_limit: float = WRITE_TIMEOUT
    log: Any = None  # the worker's logger
    deadline: float | None = None
    write_deadline: float | None = None

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        now = time.monotonic()
        self.write_deadline = None  # the next answer gets its own clock
        if self.deadline is None:
            self.deadline = now + self.read_limit
        remaining = self.deadline - now
        if remaining <= 0:
            raise RequestReadTimeout()
        super().settimeout(remaining)
        try:
            return super().recv(bufsize, flags)
        except TimeoutError:
            raise RequestReadTimeout() from None

    def sendall(self, data: Any, flags: int = 0) -> None:
        """Send part of an answer within what is left of the answer's deadline, or cut the client
        off: a reader too slow to take it is the client's doing, logged as a warning, no trace."""
        self.deadline = None
        now = time.monotonic()
        if self.write_deadline is None:
            self.write_deadline = now + self.write_limit
        super().settimeout(max(self.write_deadline - now, 0.001))
        try:
            super().sendall(data, flags)
        except TimeoutError:
            if self.log is not None:
                self.log.warning("slow reader cut off", extra={"limit_s": self.write_limit})
            raise BrokenPipeError(errno.EPIPE, "the client took too long to read the answer") from None


class ServiceWorker(ThreadWorker):
    """gthread, bounded per request; see the module docstring."""

    def init_process(self) -> None:
        """Read the deadline from the environment, as the service reads it (the worker also runs
        apps that are not the service: the bench's bare-Flask floor)."""
        try:
            self.read_limit = from_environ().get(READ_TIMEOUT, DEFAULTS[READ_TIMEOUT])
        except ConfigError as error:
            self.log.error("invalid configuration", extra={"error": str(error)})
            raise SystemExit(3) from None
        super().init_process()

    def accept(self, listener: Any) -> None:
        """Accept one connection, as gthread does, on a socket that bounds each request's arrival."""
        try:
            raw, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        client = DeadlineSocket(raw.family, raw.type, raw.proto, fileno=raw.detach())
        client.read_limit = self.read_limit
        client.log = self.log
        client.setblocking(True)
        self.nr_conns += 1
        self.enqueue_req(TConn(self.cfg, client, address, listener.getsockname()))

    def set_accept_enabled(self, enabled: bool) -> None:
        """Stop or resume listening; when the worker is stopping, first take every connection
        already queued, then close the listeners.

        Closing a listener resets the connections still in its queue; taking them first means
        each is answered, and new ones are refused from then on. This runs in the main loop once
        SIGTERM has ended it, never in the signal handler: a handler that accepted would submit to
        the thread pool, whose lock the interrupted main thread may be holding (a deadlock)."""
        super().set_accept_enabled(enabled)
        if enabled or self.alive:
            return
        for listener in self.sockets:
            listener.setblocking(False)
            for _ in range(self.cfg.backlog):  # the queue holds at most this many
                before = self.nr_conns
                self.accept(listener)
                if self.nr_conns == before:
                    break
            listener.close()

    def handle_request(self, req: Any, conn: Any) -> Any:
        refuse_unusual(req)
        return super().handle_request(req, conn)

    def _keepalive_after(self, conn: Any, keepalive: bool) -> bool:
        """Drain an unread body for DRAIN_TIMEOUT seconds at most, however slowly it drips (the
        socket's own deadline would otherwise allow a whole REQUEST_READ_TIMEOUT)."""
        sock = conn.sock
        if isinstance(sock, DeadlineSocket):
            sock.deadline = time.monotonic() + DRAIN_TIMEOUT
        try:
            return bool(super()._keepalive_after(conn, keepalive))
        finally:
            if isinstance(sock, DeadlineSocket):
                sock.deadline = None

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Answer what gunicorn refuses as a problem document with the service's headers, and log
        it with nothing from the request but its method."""
        status = status_of(exc)
        method = getattr(req, "method", None)
        server_error = getattr(getattr(self.wsgi, "wsgi_app", None), "server_error", None)
        if server_error is None:
            super().handle_error(req, client, addr, exc)
            return
        if not client_caused(exc):
            self.log.error("error handling request", exc_info=exc, extra={"status": status})
        else:
            self.log.warning("invalid request", extra={"status": status, "reason": type(exc).__name__})
        head, body = server_error(status, method)
        try:
            util.write_nonblock(client, head + body)
        except OSError:
            self.log.debug("could not send the error answer")


class QuietAccessLogger(Logger):
    """gunicorn's logger without its access log, which it would otherwise format for every request
    (a logging config switches it on), only to discard: the application writes that line."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        pass
