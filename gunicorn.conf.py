"""gunicorn settings, used by `make run` and the container alike (environment overrides)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: a scoring request is short CPU work; one worker per core (WEB_CONCURRENCY).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "sync"
preload_app = True  # load and validate the model once, in the master, before forking
timeout = 30
graceful_timeout = 20  # SIGTERM: finish in-flight requests, then exit
keepalive = 5
max_requests = 10_000  # recycle workers now and then, staggered by the jitter
max_requests_jitter = 1_000
control_socket_disable = True  # no control socket in the user's home (none in the container)
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
