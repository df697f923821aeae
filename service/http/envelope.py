"""Around every request, as WSGI middleware: its id, security headers, CORS, timing, metrics
and the access log line (one wrapper is cheaper than a Flask hook for each)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from time import perf_counter
from typing import Any

import orjson
from flask import Flask

from ..ops.logs import AccessLog
from ..ops.metrics import METHODS, OTHER_METHOD, Metrics
from . import request_id
from .endpoint import AssessmentEndpoint
from .headers import secure
from .problems import PROBLEM, problem_body

UNMATCHED = "(unmatched)"  # the path logged and counted for a request no route matched
SERVER_REFUSAL = "The server refused the request before reading it: see the status."


class Envelope:
    """Wrap the app's WSGI callable; everything here runs for every response, errors included."""

    def __init__(
        self, app: Flask, version: str, assessment_endpoint: AssessmentEndpoint | None = None
    ) -> None:
        """`assessment_endpoint`: the endpoint whose fast lane answers before Flask (None: lane off)."""
        self.wsgi_app = app.wsgi_app
        self.assessment_endpoint = assessment_endpoint
        self.origins = frozenset(app.config["CORS_ORIGINS"])
        self.version = version
        self.metrics = Metrics()
        self.access = AccessLog()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        started = perf_counter()
        rid = request_id.assign(environ)
        assessment_endpoint = self.assessment_endpoint
        if assessment_endpoint is not None:
            answer = assessment_endpoint.fast(environ)  # None: not a request the lane takes, Flask answers it
            if answer is not None:
                content_type = assessment_endpoint.renderer.content_type
                headers = [("Content-Type", content_type), ("Content-Length", str(len(answer)))]
                self._secure(headers, environ, rid)
                start_response("200 OK", headers)
                self._record(environ, rid, 200, assessment_endpoint.route, started)
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
        endpoint = rule.rule if rule is not None else UNMATCHED  # never the raw path
        self._record(environ, rid, int(status[:3]), endpoint, started)
        return body

    def server_error(self, status: int, method: str | None) -> tuple[bytes, bytes]:
        """Return the head and body of an answer the server gives before the app could (a request
        line too long, malformed headers, ...): a problem document with every header the app sends,
        recorded in the metrics and the access log like any other answer."""
        started = perf_counter()
        environ = {"REQUEST_METHOD": method or OTHER_METHOD}
        rid = request_id.assign(environ)
        body = orjson.dumps(problem_body(status, SERVER_REFUSAL, instance=UNMATCHED, request_id=rid))
        headers = [("Content-Type", PROBLEM), ("Content-Length", str(len(body))), ("Connection", "close")]
        self._secure(headers, environ, rid)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            + "".join(f"{n}: {v}\r\n" for n, v in headers)
            + "\r\n"
        )
        self._record(environ, rid, status, UNMATCHED, started)
        return head.encode("latin-1"), body

    def _secure(self, headers: list[tuple[str, str]], environ: dict[str, Any], rid: str) -> None:
        secure(headers, environ, self.origins)
        headers.append((request_id.HEADER, rid))

    def _record(self, environ: dict[str, Any], rid: str, status: int, endpoint: str, started: float) -> None:
        elapsed = perf_counter() - started
        method = environ["REQUEST_METHOD"]
        if method not in METHODS:
            method = OTHER_METHOD  # logged and counted from a fixed set, whatever the client sent
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
