"""Validate real requests and responses against the committed openapi.yaml (openapi-core), and
every response also against a closed copy of it: the published response schemas are open (a field
added later never breaks an older client), but no response may carry a field the contract does not
document."""

from __future__ import annotations

import copy
import gzip
import json
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from flask.testing import EnvironBuilder, FlaskClient
from openapi_core import OpenAPI
from openapi_core.configurations import Config
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS31Validator
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "openapi.yaml"
PROBLEM = "application/problem+json"
FHIR_JSON = "application/fhir+json"


@cache
def contract() -> OpenAPI:
    config = Config(extra_media_type_deserializers={PROBLEM: json.loads, FHIR_JSON: json.loads})
    return OpenAPI.from_file_path(str(CONTRACT), config=config)


@cache
def contract_dict() -> dict:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


# FHIR defines these resources (the contract documents them loosely); FHIR validators check them.
LOOSE = {"FhirResource", "OperationOutcome"}


def closed(document: dict) -> dict:
    """Return a copy of an OpenAPI document whose object schemas admit no undocumented property."""
    document = copy.deepcopy(document)
    for name, schema in document["components"]["schemas"].items():
        if name not in LOOSE and "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
    return document


@cache
def closed_contract() -> OpenAPI:
    config = Config(extra_media_type_deserializers={PROBLEM: json.loads, FHIR_JSON: json.loads})
    return OpenAPI.from_dict(closed(contract_dict()), config=config)


def check_problem(response: TestResponse, path: str) -> None:
    """Check a response from outside the documented operations is a valid error document: a problem,
    or an OperationOutcome on the FHIR endpoint's path (a method it does not allow)."""
    assert response.mimetype in (FHIR_JSON, PROBLEM), response.mimetype
    fhir = response.mimetype == FHIR_JSON
    assert not fhir or path.startswith("/v1/fhir/"), path
    schemas = closed(contract_dict())["components"]["schemas"]
    OAS31Validator(schemas["OperationOutcome" if fhir else "Problem"]).validate(response.get_json())


def decoded(response: TestResponse) -> TestResponse:
    """The response as the client reads it: a gzip-encoded body decompressed."""
    if response.headers.get("Content-Encoding") != "gzip":
        return response
    headers = [
        (k, v) for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")
    ]
    return type(response)(
        gzip.decompress(response.get_data()),
        status=response.status,
        headers=headers,
        request=response.request,
    )


def check_exchange(request: Request, response: TestResponse) -> None:
    """Validate a response against its operation; a request the API accepted (all of it: a batch
    whose results hold no error) must be valid too."""
    response = decoded(response)
    openapi_request = WerkzeugOpenAPIRequest(request)
    try:
        contract().validate_response(openapi_request, WerkzeugOpenAPIResponse(response))
        closed_contract().validate_response(openapi_request, WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        if response.status_code >= 400:
            check_problem(response, request.path)  # 404 / 405: paths the contract leaves out
        return
    if response.status_code < 300 and not _partly_refused(response):
        contract().validate_request(openapi_request)


def _partly_refused(response: TestResponse) -> bool:
    """Tell whether a success answers some patients of a batch with their own errors (the contract
    types each patient, and the service answers a patient that breaks it alone)."""
    body = response.get_json(silent=True)
    results = body.get("results") if isinstance(body, dict) else None
    return isinstance(results, list) and any("error" in result for result in results)


class ContractClient(FlaskClient):
    """A test client that holds every exchange on documented paths to the contract.

    It sends the test API key unless a request sets its own Authorization header.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tests.helpers import TEST_KEY

        self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TEST_KEY}"

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        builder_kwargs = {k: v for k, v in kwargs.items() if k not in ("buffered", "follow_redirects")}
        builder_kwargs.setdefault("environ_base", self.environ_base)
        builder = EnvironBuilder(self.application, *args, **builder_kwargs)
        try:
            request = builder.get_request()
        finally:
            builder.close()
        if _documented(request.path):
            check_exchange(request, response)
        return response


PAGES = ("/", "/report", "/model", "/score-file")  # the clinician pages: HTML, outside the contract


def _documented(path: str) -> bool:
    """Tell whether a path belongs to the API (not the docs and clinician pages and their assets)."""
    return not (
        path.startswith(("/docs", "/assets/"))
        or path in ("/openapi.json", "/openapi.yaml", "/favicon.ico", *PAGES)
    )


def check_live(response) -> None:
    """Validate a live `requests` response (and its request) against the contract."""
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

    path = urlsplit(response.request.url).path
    if not _documented(path):
        return
    openapi_request = RequestsOpenAPIRequest(response.request)
    try:
        contract().validate_response(openapi_request, RequestsOpenAPIResponse(response))
        closed_contract().validate_response(openapi_request, RequestsOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        assert response.status_code >= 400, path
        media_type = response.headers["Content-Type"].split(";")[0]
        assert media_type == PROBLEM or (media_type == FHIR_JSON and path.startswith("/v1/fhir/"))
        schemas = closed(contract_dict())["components"]["schemas"]
        OAS31Validator(schemas["OperationOutcome" if media_type == FHIR_JSON else "Problem"]).validate(
            response.json()
        )
