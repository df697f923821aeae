"""Per request: one JSON log line and Prometheus metrics (multiprocess-safe under gunicorn)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from time import perf_counter
from typing import Any

from flask import Flask, Response, current_app, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from .request_id import current_request_id

log = logging.getLogger("service.access")

REQUESTS = Counter(
    "http_requests", "Requests answered, by route, method and status.", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by route and method.",
    ["endpoint", "method"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
ASSESSMENTS = Counter("assessments", "Outcomes assessed, by outcome and tier.", ["outcome", "tier"])
ERRORS = Counter("errors", "Error responses, by type.", ["type"])
ERROR_TYPES = {400: "malformed", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
               413: "too_large", 415: "unsupported_media_type", 422: "invalid", 500: "internal",
               503: "unavailable"}  # fmt: skip


class CountingAssessor:
    """The core's assessor, counting every outcome's tier on the way out."""

    def __init__(self, assessor) -> None:
        self.assessor = assessor
        self.model = assessor.model
        self._counters = {
            (o, t): ASSESSMENTS.labels(o, t) for o in self.model.outcomes for t, _ in self.model.tiers
        }

    def __call__(self, patient: Mapping[str, Any]) -> dict[str, Any]:
        assessment = self.assessor(patient)
        for outcome, block in assessment["outcomes"].items():
            self._counters[outcome, block["risk"]].inc()
        return assessment


def metrics_payload() -> bytes:
    """Return the metrics of every worker (multiprocess mode) or of this process."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def _start() -> None:
    g.started = perf_counter()


def _finish(response: Response) -> Response:
    elapsed = perf_counter() - g.get("started", perf_counter())
    rule = request.url_rule
    endpoint = rule.rule if rule is not None else "(unmatched)"  # never the raw path: it may carry anything
    status = response.status_code
    REQUESTS.labels(endpoint, request.method, status).inc()
    LATENCY.labels(endpoint, request.method).observe(elapsed)
    if status >= 400:
        ERRORS.labels(ERROR_TYPES.get(status, "other")).inc()
    log.info(
        "request",
        extra={
            "request_id": current_request_id(),
            "method": request.method,
            "path": endpoint,
            "status": status,
            "duration_ms": round(elapsed * 1000, 3),
            "model_version": current_app.extensions["model_version"],
        },
    )
    return response


def register(app: Flask) -> None:
    """Time, count and log every request."""
    app.before_request(_start)
    app.after_request(_finish)
