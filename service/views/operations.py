"""Liveness and readiness probes."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from schemas import HealthSchema, ReadinessSchema

from ..api import operation
from ..jsonio import json_response
from ..problems import problem

blp = Blueprint("operations", __name__, description="Probes for load balancers and orchestrators.")


@blp.route("/healthz", methods=["GET"])
@blp.doc(operationId="getHealth", **operation(HealthSchema, "The process is alive."))
def healthz():
    """Liveness

    Answers while the process can serve requests; it checks nothing else.
    """
    return json_response({"status": "ok"})


@blp.route("/readyz", methods=["GET"])
@blp.doc(operationId="getReadiness", **operation(ReadinessSchema, "The model is loaded.", errors=(503,)))
def readyz():
    """Readiness

    Ready once the model table is loaded and validated; 503 before.
    """
    assessor = current_app.extensions.get("assessor")
    if assessor is None:
        return problem(503, "The model is not loaded yet.")
    model = assessor.model
    return json_response({"status": "ready", "model": {"id": model.id, "version": model.version}})
