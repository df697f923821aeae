"""Around every request, as WSGI middleware: its id, security headers, CORS, timing, metrics
and the access log line (one wrapper is cheaper than a Flask hook for each)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from time import perf_counter
from typing import Any

from flask import Flask

from . import request_id, security
from .fastlane import FastLane
from .jsonio import JSON
from .logs import AccessLog
from .observe import Metrics


class Envelope:
    """Wrap the app's WSGI callable; everything here runs for every response, errors included."""

    def __init__(self, app: Flask, lane: FastLane | None = None) -> None:
        self.wsgi_app = app.wsgi_app
        self.lane = lane
        self.origins = frozenset(app.config["CORS_ORIGINS"])
        self.version = app.extensions["model_version"]
        self.metrics = Metrics()
        self.access = AccessLog()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        started = perf_counter()
        rid = request_id.assign(environ)
        lane = self.lane
        if lane and environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO") == lane.route:
            answer = lane.answer(environ)
            if answer is not None:
                headers = [("Content-Type", JSON), ("Content-Length", str(len(answer)))]
                self._secure(headers, environ, rid)
                start_response("200 OK", headers)
                self._record(environ, rid, 200, lane.route, started)
                return [answer]
        sent: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            self._secure(headers, environ, rid)
            # Still inside Flask's request context here (it clears the request when done).
            request = environ.get("werkzeug.request")
            sent[:] = [status, request.url_rule if request is not None else None]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start)
        status, rule = sent if sent else ("500", None)
        endpoint = rule.rule if rule is not None else "(unmatched)"  # never the raw path
        self._record(environ, rid, int(status[:3]), endpoint, started)
        return body

    def _secure(self, headers: list[tuple[str, str]], environ: dict[str, Any], rid: str) -> None:
        security.secure(headers, environ, self.origins)
        headers.append((request_id.HEADER, rid))

    def _record(self, environ: dict[str, Any], rid: str, status: int, endpoint: str, started: float) -> None:
        elapsed = perf_counter() - started
        method = environ["REQUEST_METHOD"]
        self.metrics.record(endpoint, method, status, elapsed)
        self.access.write(
            {
                "request_id": rid,
                "method": method,
                "path": endpoint,
                "status": status,
                "duration_ms": round(elapsed * 1000, 3),
                "model_version": self.version,
            }
        )
