"""Prometheus metrics (multiprocess-safe under gunicorn), and the assessor that counts tiers."""

from __future__ import annotations

import os
from collections import Counter as TallyCounter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

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
ERROR_TYPES = {400: "malformed", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 408: "timeout", 413: "too_large", 414: "uri_too_long",
               415: "unsupported_media_type", 417: "expectation_failed", 422: "invalid",
               431: "headers_too_large", 500: "internal", 501: "not_implemented",
               503: "unavailable", 505: "version_not_supported"}  # fmt: skip
# Every label takes a value from a fixed set, whatever a client sends: a method outside this set
# counts as "other", a status outside ERROR_TYPES (and 2xx/3xx) as its class, an unmatched path
# as "(unmatched)" (the endpoint is always a route template).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"
STATUSES = frozenset(ERROR_TYPES) | {200, 204, 301, 302, 304, 308}


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

    @contextmanager
    def batch(self) -> Iterator[Callable[[Mapping[str, Any]], dict[str, Any]]]:
        """Yield an assessor whose tiers are counted together at the end (one metrics update
        per outcome and tier, however many patients)."""
        tally: TallyCounter = TallyCounter()

        def assess(patient: Mapping[str, Any]) -> dict[str, Any]:
            assessment = self.assessor(patient)
            for outcome, block in assessment["outcomes"].items():
                tally[outcome, block["risk"]] += 1
            return assessment

        try:
            yield assess
        finally:
            for key, number in tally.items():
                self._counters[key].inc(number)


def metrics_payload() -> bytes:
    """Return the metrics of every worker (multiprocess mode) or of this process."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


class Metrics:
    """Record one request in the metrics; label children are looked up once, then kept."""

    def __init__(self) -> None:
        self._requests: dict[tuple, Any] = {}
        self._latency: dict[tuple, Any] = {}
        self._errors: dict[int, Any] = {}

    def record(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        """Count a request; `endpoint` is a route template and `method` one of METHODS or "other"."""
        key = (endpoint, method, status if status in STATUSES else f"{status // 100}xx")
        counter = self._requests.get(key)
        if counter is None:
            counter = self._requests[key] = REQUESTS.labels(*key)
        counter.inc()
        latency = self._latency.get(key[:2])
        if latency is None:
            latency = self._latency[key[:2]] = LATENCY.labels(endpoint, method)
        latency.observe(seconds)
        if status >= 400:
            errors = self._errors.get(status)
            if errors is None:
                errors = self._errors[status] = ERRORS.labels(ERROR_TYPES.get(status, "other"))
            errors.inc()
