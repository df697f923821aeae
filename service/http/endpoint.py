"""POST /v1/assessments as one object that owns every step: gate, read, load, assess, encode.

The Flask view and the WSGI fast lane both call it: the lane takes the plainly valid requests
without Flask's per-request machinery, and hands everything else (a refusal, an error, an unusual
body) to Flask, whose answer comes from the same object. Nothing but this object decides either.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from marshmallow import ValidationError

from schemas import FastLoader
from service.core.symptoms import INPUTS, SymptomReview

from .body import JSON, BodyReader, declared_length, parse_json_object, read_body
from .problems import RefusedPatient, readable_review
from .security import Gate

ROUTE = "/v1/assessments"
NAME = "assessments.create_assessment"


class Unreadable:
    """A body stream that raises what reading the real body raised, for Flask to answer it."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def read(self, *args: Any) -> bytes:
        raise self.error


class AssessmentEndpoint:
    """Gate, read, load, assess and encode one patient's assessment."""

    name = NAME
    route = ROUTE

    def __init__(
        self,
        gate: Gate,
        read: BodyReader,
        loader: FastLoader,
        assess: Callable[[Mapping[str, Any]], Any],
        review: SymptomReview,
    ) -> None:
        self.gate = gate
        self.read = read
        self.loader = loader
        self.assess = assess
        self.review = review

    def check_routed(self, url_map: Any) -> None:
        """At start-up, with the lane on: the router must send `route` (POST) to `name` alone, or the
        lane would answer a path whose view, and gate policy, is another's."""
        rules = [(r.rule, sorted(r.methods or ())) for r in url_map.iter_rules() if r.endpoint == self.name]
        if [(rule, "POST" in methods) for rule, methods in rules] != [(self.route, True)]:
            raise RuntimeError(f"the fast lane answers POST {self.route} for {self.name}, routed as {rules}")

    def respond(self, environ: dict[str, Any]) -> bytes:
        """Return the JSON answer (Flask ran the gate before the view), or raise the HTTP error."""
        return orjson.dumps(self.answer(self.read(environ)))

    def answer(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Return the assessment of a body already read (the API's, or the clinician form's), or raise
        the loader's ValidationError: one loader and one assessor for every way in."""
        return self.assess(self.load(body))

    def load(self, body: Any) -> dict[str, Any]:
        """Return the loaded patient, or raise RefusedPatient: the loader's errors, with the review of
        the symptoms the body still states (an under-18 patient's red flags are never dropped)."""
        try:
            return self.loader.load(body)
        except ValidationError as error:
            raise RefusedPatient(error, readable_review(self.review.of, INPUTS, error)) from None

    def fast(self, environ: dict[str, Any]) -> bytes | None:
        """Return the JSON answer to a plainly valid request, else None for Flask to answer it.

        The same gate, limits, parser, loader and assessor as `respond`; a body read here is put
        back for Flask to read again."""
        if self.gate.refusal(self.name, environ.get("HTTP_AUTHORIZATION")) is not None:
            return None  # Flask answers the 401, from the same decision
        if environ.get("CONTENT_TYPE") != JSON or "HTTP_CONTENT_ENCODING" in environ:
            return None
        length = declared_length(environ)
        if length is None or length > self.read.limit:
            return None
        try:
            body = read_body(environ, self.read.limit)
        except Exception as error:  # too slow (408), shorter than declared (400)...
            environ["wsgi.input"] = Unreadable(error)  # ...Flask answers the same error
            return None
        try:
            patient = self.loader.fast(parse_json_object(body, self.read.depth))
            if patient is not None:
                return orjson.dumps(self.assess(patient))
        except Exception:  # the Flask path answers the same failure, and logs it
            pass
        environ["wsgi.input"] = io.BytesIO(body)
        return None
