"""An answer in a format: the document rendered by its format's renderer (service/formats), as a
Flask response with the format's media type and headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response

from ..formats import Renderer


def answer(
    renderer: Renderer, document: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Return `document` rendered as `renderer` renders it, with its headers, then `headers`."""
    response = Response(renderer.render(document), status=status, content_type=renderer.content_type)
    response.headers.update({**dict(renderer.headers), **(headers or {})})
    return response
