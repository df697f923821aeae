"""Swagger UI at /docs works offline: every asset is local, no outside validator."""

from __future__ import annotations

import json
import re

import pytest


@pytest.fixture
def page(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_docs_page_loads_nothing_from_outside(page):
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"", page)
    assert {a.rsplit("/", 1)[-1] for a in assets} == {
        "swagger-ui.css",
        "swagger-ui-standalone-preset.js",
        "swagger-ui-bundle.js",
    }


def test_every_asset_is_served_locally(client, page):
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", page):
        assert asset.startswith("/docs/assets/")
        response = client.get(asset)
        assert response.status_code == 200 and len(response.data) > 1000, asset
        response.close()


def test_swagger_ui_points_at_our_spec_without_a_validator(page):
    config = json.loads(re.search(r"override_config = (\{.*?\});", page).group(1))
    assert config["validatorUrl"] is None
    assert 'url: "/openapi.json"' in page


def test_try_it_out_targets_the_serving_origin():
    """No `servers` in the contract: Swagger UI sends "Try it out" to the page's own origin."""
    from tests.helpers.contract import contract_dict

    assert "servers" not in contract_dict()


def test_favicon_and_missing_asset(client):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.mimetype == "image/png"
    favicon.close()
    missing = client.get("/docs/assets/nope.js")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
