"""Liveness and readiness probes, and Prometheus metrics."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from schemas import HealthSchema, ReadinessSchema

from ..formats import AS_JSON
from ..http.answer import answer
from ..http.api import operation
from ..http.problems import NOT_READY, problem
from ..ops.metrics import metrics_payload
from ..services import KEY

blp = Blueprint("operations", __name__, description="Probes and metrics for operators.")
PROMETHEUS = "text/plain"


@blp.route("/healthz", methods=["GET"])
@blp.doc(operationId="getHealth", **operation(HealthSchema, "The process is alive.", secured=False))
def healthz():
    """Liveness

    Answers while the process can serve requests; it checks nothing else.
    """
    return answer(AS_JSON, {"status": "ok"})


@blp.route("/readyz", methods=["GET"])
@blp.doc(
    operationId="getReadiness",
    **operation(ReadinessSchema, "The model is loaded.", errors=(503,), secured=False),
)
def readyz():
    """Readiness

    Ready once the model table is loaded and validated; 503 before.
    """
    found = current_app.extensions.get(KEY)
    if found is None:
        return problem(503, NOT_READY)
    model = found.model
    return answer(AS_JSON, {"status": "ready", "model": {"id": model.id, "version": model.version}})


@blp.route("/metrics", methods=["GET"])
@blp.doc(
    operationId="getMetrics",
    **operation(
        {"type": "string"}, "Prometheus text exposition of every worker's metrics.", media_type=PROMETHEUS
    ),
)
def metrics():
    """Metrics

    Requests and latency per route and status, assessments per outcome and tier, errors by
    type; summed over every gunicorn worker.
    """
    return Response(metrics_payload(), mimetype=PROMETHEUS)
