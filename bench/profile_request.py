"""Profile the request path server-side: `python bench/profile_request.py [count]` (cProfile, top 25).

Drives the WSGI apps directly (no test client, no gunicorn) with the production settings: API
key, JSON request logs (to /dev/null), multiprocess metrics; distinct patients, as `make bench`
sends. Prints the bare-Flask floor's cost per request beside the service's, then the profile.
"""

from __future__ import annotations

import cProfile
import io
import json
import logging
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="profile-metrics-"))  # as gunicorn

from bench.floor import app as floor  # noqa: E402
from bench.patients import distinct_patients  # noqa: E402
from service import create_app  # noqa: E402
from service.ops.logs import JsonFormatter  # noqa: E402

KEY = "bench-key-0123456789abcdef"


def environ(path: str, body: bytes) -> dict:
    """A WSGI environ as gunicorn builds it for a POST with a declared length."""
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input_terminated": True,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {KEY}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }


def main(count: int) -> None:
    sink = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 (lives as long as the run)
    sink.setFormatter(JsonFormatter())  # as under gunicorn: formatted, then written
    logging.getLogger().handlers[:] = [sink]
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)  # access lines are written to fd 2, as under gunicorn
    service = create_app({"API_KEYS": (KEY,)})
    bodies = [json.dumps(p).encode() for p in distinct_patients()]

    def serve(app, path: str, n: int) -> None:
        for i in range(n):
            for _chunk in app(environ(path, bodies[i % len(bodies)]), lambda *args: None):
                pass

    for app, path, name in ((floor, "/floor", "floor"), (service, "/v1/assessments", "service")):
        serve(app, path, 500)  # warm up
        started = time.perf_counter()
        serve(app, path, count)
        print(f"{name}: {(time.perf_counter() - started) / count * 1e6:.1f} µs per request, unprofiled")
    profile = cProfile.Profile()
    profile.runcall(serve, service, "/v1/assessments", count)
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
