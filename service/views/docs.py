"""Swagger UI's assets (served locally, never from a CDN) and the contract as YAML."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory

from ..http.references import contract_yaml

blp = Blueprint("docs", __name__)
ASSET_AGE = 24 * 3600


def swagger_ui_dist() -> Path:
    """Return the folder of Swagger UI files shipped in the flask-swagger-ui wheel."""
    package = find_spec("flask_swagger_ui")
    if package is None or not package.submodule_search_locations:
        raise RuntimeError("flask-swagger-ui is not installed")
    return Path(next(iter(package.submodule_search_locations))) / "dist"


@blp.route("/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    return send_from_directory(swagger_ui_dist(), filename, max_age=ASSET_AGE)


@blp.route("/favicon.ico")
def favicon():
    return send_from_directory(swagger_ui_dist(), "favicon-32x32.png", max_age=ASSET_AGE)


@blp.route("/openapi.yaml")
def openapi_yaml():
    return Response(contract_yaml(current_app), mimetype="application/yaml")
