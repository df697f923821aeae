"""Render the OpenAPI contract (openapi.yaml) from the app's schemas: `make openapi`."""

from __future__ import annotations

import logging

from service import create_app
from service.http.references import contract_yaml

if __name__ == "__main__":
    logging.disable(logging.WARNING)  # the app's start-up warnings are not part of the document
    print(contract_yaml(create_app()), end="")
