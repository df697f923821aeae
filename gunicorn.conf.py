"""gunicorn settings, used by `make run` and the container alike (environment overrides)."""

import os
import shutil
import tempfile
from pathlib import Path

# Metrics from every worker: prometheus-client's multiprocess mode needs a directory shared
# by the workers, empty at start, and set before prometheus-client is first imported (the
# `service` import below imports it). A directory made here is removed at shutdown.
_given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_metrics = Path(_given or tempfile.mkdtemp(prefix="sfr-metrics-"))
_metrics.mkdir(parents=True, exist_ok=True)


def _remove_metrics_files():
    for stale in _metrics.glob("*.db"):
        stale.unlink()


_remove_metrics_files()
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics)

from service.ops.logs import GUNICORN_LOGGING  # noqa: E402 (after the metrics directory is set)

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# One process per core (WEB_CONCURRENCY), each with a pool of threads (WEB_THREADS): a request is
# short CPU work, but a slow client holds a thread while it sends, never a whole process. Each
# request must arrive within REQUEST_READ_TIMEOUT seconds (service/ops/worker.py).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "service.ops.worker.ServiceWorker"
threads = int(os.environ.get("WEB_THREADS") or 16)
preload_app = True  # load and validate the model once, in the master, before forking
timeout = 30  # a worker whose main loop stops answering the master for this long is replaced
graceful_timeout = 20  # SIGTERM: stop accepting, let in-flight requests finish, then exit
keepalive = 5
max_requests = 10_000  # recycle workers now and then, staggered by the jitter
max_requests_jitter = 1_000
control_socket_disable = True  # no control socket in the user's home (none in the container)
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
sendfile = False  # responses are written by the worker's bounded socket, never by sendfile(2)
# Trust no forwarder (SCRIPT_NAME, PATH_INFO, X-Forwarded-*) unless its address is configured:
# behind a proxy, set FORWARDED_ALLOW_IPS to the proxy's address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
proxy_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")

# Logs: JSON lines on stderr; the app logs each request (gunicorn's access log is off).
accesslog = None
errorlog = "-"
logconfig_dict = GUNICORN_LOGGING
logger_class = "service.ops.worker.QuietAccessLogger"


def child_exit(server, worker):
    """Let a dead worker's live gauges go (its counters stay in the totals)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Leave no metrics files behind; remove the directory when it was made here."""
    if _given:
        _remove_metrics_files()
    else:
        shutil.rmtree(_metrics, ignore_errors=True)
