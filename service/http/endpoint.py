"""POST /v1/assessments as one object that owns every step: gate, read, load, assess, encode.

The object IS the Flask view (routed as the view function itself) and the WSGI fast lane: the
lane takes the plainly valid requests without Flask's per-request machinery, and hands everything
else (a refusal, an error, an unusual body, a request that asks for anything but JSON) to Flask,
whose answer comes from the same object. Nothing but this object decides either.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Response, request
from marshmallow import ValidationError
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header

from schemas import FastLoader
from service.core.symptoms import INPUTS, SymptomReview

from ..formats import AS_JSON
from .answer import answer
from .body import JSON, BodyReader, declared_length, parse_json_object, read_body
from .problems import RefusedPatient, readable_review
from .security import Gate

ROUTE = "/v1/assessments"
NAME = "assessments.create_assessment"
ANY = "*/*"


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
    renderer = AS_JSON  # the lane's answers and the view's alike

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

    def __call__(self) -> Response:
        """The Flask view (Flask ran the gate before it): the JSON answer, or the HTTP error raised."""
        return answer(self.renderer, self.answer(self.read(request.environ)))

    def check_routed(self, app: Flask) -> None:
        """At start-up, with the lane on: the router must send POST `route` to this very object, under
        `name`; or the lane would answer for another view (one that negotiates, say) or another
        endpoint's gate policy."""
        try:
            endpoint, _ = app.url_map.bind("localhost").match(self.route, method="POST")
        except HTTPException as error:
            endpoint = f"no endpoint ({error.code})"
        if endpoint != self.name or app.view_functions.get(endpoint) is not self:
            raise RuntimeError(
                f"the fast lane answers POST {self.route} as {self.name}; routed to {endpoint}"
            )

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

        The same gate, limits, parser, loader, assessor and renderer as the view; a body read here is put
        back for Flask to read again."""
        if not self.plain(environ):
            return None
        if self.gate.refusal(self.name, environ.get("HTTP_AUTHORIZATION")) is not None:
            return None  # Flask answers the 401, from the same decision
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
                return self.renderer.render(self.assess(patient))
        except Exception:  # the Flask path answers the same failure, and logs it
            pass
        environ["wsgi.input"] = io.BytesIO(body)
        return None

    def plain(self, environ: dict[str, Any]) -> bool:
        """Tell whether a request is one nothing but this object's JSON answer could answer: POST to
        the route's canonical spelling (any other goes through Flask's router), no query string, a
        JSON body sent as is, and JSON (or anything) accepted. Flask gets the rest: what a view may
        one day read (a query, an Accept) must reach the view."""
        return (
            environ["REQUEST_METHOD"] == "POST"
            and environ.get("PATH_INFO") == self.route
            and not environ.get("SCRIPT_NAME")
            and not environ.get("QUERY_STRING")
            and environ.get("CONTENT_TYPE") == JSON
            and "HTTP_CONTENT_ENCODING" not in environ
            and json_only(environ.get("HTTP_ACCEPT"))
        )


def json_only(accept: str | None) -> bool:
    """Tell whether an Accept header leaves JSON as the only answer: absent, or every media range it
    lists (one at least) is JSON or `*/*`, none refused with q=0. Parsed, never matched by prefix."""
    if accept is None or accept in (ANY, JSON):  # what clients send, without parsing
        return True
    ranges = list(parse_accept_header(accept, MIMEAccept))
    return bool(ranges) and all(value.lower() in (JSON, ANY) and quality > 0 for value, quality in ranges)
