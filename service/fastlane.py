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

from .jsonio import JSON, declared_length, parse_json_object

PATH = "/v1/assessments"
ENDPOINT = "assessments.create_assessment"


class FastLane:
    """Answer the hot endpoint's happy path; return None for everything else."""

    def __init__(self, app: Flask, loader: FastLoader) -> None:
        self.keys = app.extensions["api_keys"]
        self.extensions = app.extensions  # the assessor is looked up per request, as the view does
        self.limit = app.config["MAX_BODY_BYTES"]
        self.depth = app.config["MAX_JSON_DEPTH"]
        self.loader = loader
        rules = [rule.rule for rule in app.url_map.iter_rules(ENDPOINT)]
        assert rules == [PATH], rules  # the route the lane answers for
        self.route = PATH

    def answer(self, environ: dict[str, Any]) -> bytes | None:
        """Return the JSON body of a 200, or None for the Flask app to answer the request."""
        if self.keys and not self.keys.accept(environ.get("HTTP_AUTHORIZATION")):
            return None
        if environ.get("CONTENT_TYPE") != JSON or "HTTP_CONTENT_ENCODING" in environ:
            return None
        length = declared_length(environ)
        if length is None or length > self.limit:
            return None
        body = environ["wsgi.input"].read(length)
        try:
            patient = self.loader.fast(parse_json_object(body, self.depth))
            if patient is not None:
                return orjson.dumps(self.extensions["assessor"](patient))
        except Exception:  # the Flask path answers the same failure, and logs it
            pass
        environ["wsgi.input"] = io.BytesIO(body)  # the body, back for the Flask app to read
        return None
