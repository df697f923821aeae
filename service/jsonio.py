"""Read JSON request bodies strictly and write JSON responses (orjson, both ways)."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType
from werkzeug.http import parse_options_header

JSON = "application/json"


class MalformedBody(BadRequest):
    """The body is not a JSON object; answered as a `malformed-request` problem."""


def read_json_object(accept: tuple[str, ...] = (JSON,)) -> dict[str, Any]:
    """Return the request body as a dict, or raise 415, 413 or 400 (MalformedBody)."""
    environ = request.environ
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type not in accept:  # the usual exact match skips parsing the header
        mimetype, params = parse_options_header(content_type)
        if mimetype.lower() not in accept or params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"Send the body as {' or '.join(accept)} (UTF-8).")
    if environ.get("HTTP_CONTENT_ENCODING", "identity").lower() != "identity":
        raise UnsupportedMediaType("Send the body without a Content-Encoding (no compression).")
    body = _body(environ)  # raises 413 past the size limit
    return parse_json_object(body, current_app.config["MAX_JSON_DEPTH"])


def parse_json_object(body: bytes, depth: int) -> dict[str, Any]:
    """Parse `body` as a JSON object nesting at most `depth` levels, or raise MalformedBody."""
    try:
        data = orjson.loads(body)  # rejects NaN, Infinity, overflow, invalid UTF-8
    except orjson.JSONDecodeError as error:
        raise MalformedBody(f"The body is not valid JSON: {error.msg}.") from None
    if type(data) is not dict:
        raise MalformedBody("The body must be a JSON object.")
    if nesting_exceeds(data, depth):
        raise MalformedBody(f"The body nests deeper than {depth} levels.")
    return data


def _body(environ: dict[str, Any]) -> bytes:
    """Read the body: directly when its declared length is within the limit, else through
    werkzeug (chunked or undeclared lengths, and the 413 past the limit)."""
    size = declared_length(environ)
    limit = request.max_content_length
    if size is not None and (limit is None or size <= limit):
        return environ["wsgi.input"].read(size)
    return request.get_data(cache=False)


def declared_length(environ: dict[str, Any]) -> int | None:
    """Return the body's length as the request declares it, or None (chunked, or not given).

    With a Content-Length and no Transfer-Encoding, the server hands over exactly that many
    bytes (gunicorn rejects a request carrying both)."""
    length = environ.get("CONTENT_LENGTH")
    if not length or not length.isdigit() or "HTTP_TRANSFER_ENCODING" in environ:
        return None
    return int(length)


def nesting_exceeds(data: Any, limit: int) -> bool:
    """Tell whether objects and arrays nest deeper than `limit` (the body itself is level 1)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if type(node) is dict else node:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


def json_response(data: Any, status: int = 200, mimetype: str = JSON) -> Response:
    """Return `data` encoded by orjson (deterministic: keys keep their order), or as given
    when already encoded."""
    body = data if type(data) is bytes else orjson.dumps(data)
    return Response(body, status=status, mimetype=mimetype)


def encoded_object(key: str, items: list[bytes]) -> bytes:
    """Return `{key: [items]}` from items each encoded by orjson, byte for byte as orjson
    would encode the whole."""
    opening = orjson.dumps({key: []})[:-2]  # {"key":[
    if not items:
        return opening + b"]}"
    parts = [b","] * (2 * len(items) + 1)  # opening, item, ",", item, ..., item, closing
    parts[1::2] = items
    parts[0], parts[-1] = opening, b"]}"
    return b"".join(parts)  # one copy of the whole
