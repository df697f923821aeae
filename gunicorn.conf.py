"""gunicorn settings, used by `make run` and the container alike (environment overrides)."""

import os
import signal
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger

# Metrics from every worker: prometheus-client's multiprocess mode needs a directory shared
# by the workers, empty at start, and set before prometheus-client is first imported (the
# `service` import below imports it).
_metrics = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="sfr-metrics-"))
_metrics.mkdir(parents=True, exist_ok=True)
for stale in _metrics.glob("*.db"):
    stale.unlink()
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics)

from service.logs import GUNICORN_LOGGING  # noqa: E402 (after the metrics directory is set)

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: a scoring request is short CPU work; one worker per core (WEB_CONCURRENCY).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "sync"
preload_app = True  # load and validate the model once, in the master, before forking
timeout = 30
graceful_timeout = 20  # SIGTERM: stop accepting, let in-flight requests finish, then exit
keepalive = 5
max_requests = 10_000  # recycle workers now and then, staggered by the jitter
max_requests_jitter = 1_000
control_socket_disable = True  # no control socket in the user's home (none in the container)
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Logs: JSON lines on stderr; the app logs each request (gunicorn's access log is off).
accesslog = None
errorlog = "-"
logconfig_dict = GUNICORN_LOGGING


class QuietAccessLogger(Logger):
    """gunicorn's logger without its access log, which it would otherwise format for every
    request (a logging config switches it on), only to discard: the app writes that line."""

    def access(self, resp, req, environ, request_time):
        pass


logger_class = QuietAccessLogger


def child_exit(server, worker):
    """Let a dead worker's live gauges go (its counters stay in the totals)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """On SIGTERM, stop listening at once, then finish the request in hand.

    The master closes its listening socket on SIGTERM, but each worker holds a copy, so the
    kernel would keep queueing new connections that nobody serves. Closing the worker's copies
    makes new connections be refused at once while requests in flight complete.
    """

    def stop_listening(signum, frame):
        for listener in worker.sockets:
            listener.close()
        worker.handle_exit(signum, frame)

    # Interruptible, so the handler runs even while a worker waits on a slow client; Python
    # resumes the interrupted read or write afterwards (PEP 475), so the request goes on.
    signal.signal(signal.SIGTERM, stop_listening)
