"""The OpenAPI contract as YAML: served at /openapi.yaml and committed by `make openapi`."""

from __future__ import annotations

import yaml
from flask import Flask


def contract_yaml(app: Flask) -> str:
    """Return the app's OpenAPI document, generated from the schemas, as YAML."""
    spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec
    return yaml.safe_dump(spec.to_dict(), sort_keys=False, allow_unicode=True, width=100)
