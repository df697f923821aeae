"""The hot path: a plainly valid, authorized POST /v1/assessments, answered without Flask's
per-request machinery but through the very functions the Flask view uses.

Anything else (a missing key, a body that needs werkzeug, an error to report) is left to the
Flask app, which stays the reference: a test holds both paths to the same bytes and headers.
"""

from __future__ import annotations

import io
from typing import Any

import orjson
from flask import Flask

from schemas import FastLoader

from .jsonio import JSON, declared_length, parse_json_object, read_body

PATH = "/v1/assessments"
ENDPOINT = "assessments.create_assessment"


class FastLane:
    """Answer the hot endpoint's happy path; return None for everything else."""

    def __init__(self, app: Flask, loader: FastLoader) -> None:
        self.gate = app.extensions["gate"]
        self.extensions = app.extensions  # the assessor is looked up per request, as the view does
        self.limit = app.config["MAX_BODY_BYTES"]
        self.depth = app.config["MAX_JSON_DEPTH"]
        self.loader = loader
        rules = [rule.rule for rule in app.url_map.iter_rules(ENDPOINT)]
        assert rules == [PATH], rules  # the route the lane answers for
        self.route = PATH

    def answer(self, environ: dict[str, Any]) -> bytes | None:
        """Return the JSON body of a 200, or None for the Flask app to answer the request."""
        if self.gate.refusal(ENDPOINT, environ.get("HTTP_AUTHORIZATION")) is not None:
            return None  # the Flask app answers the 401, from the same decision
        if environ.get("CONTENT_TYPE") != JSON or "HTTP_CONTENT_ENCODING" in environ:
            return None
        length = declared_length(environ)
        if length is None or length > self.limit:
            return None
        try:
            body = read_body(environ, self.limit)
        except Exception:  # too short: Flask answers it (from the same bytes)
            environ["wsgi.input"] = io.BytesIO(b"")
            return None
        try:
            patient = self.loader.fast(parse_json_object(body, self.depth))
            if patient is not None:
                return orjson.dumps(self.extensions["assessor"](patient))
        except Exception:  # the Flask path answers the same failure, and logs it
            pass
        environ["wsgi.input"] = io.BytesIO(body)  # the body, back for the Flask app to read
        return None
