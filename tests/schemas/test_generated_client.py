"""A client generated from openapi.yaml (openapi-python-client, pinned) builds without a warning, has
one enum class per named set, types the batch's patients, and scores patients against the app."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from schemas.examples import ASSESSMENT_EXAMPLES
from tests.helpers import TEST_KEY, make_app, make_patient
from tests.helpers.contract import CONTRACT, contract_dict

PACKAGE = "spinal_fusion_client"
BIN = Path(sys.executable).parent  # the generator, and the ruff its post-hooks run


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generate the client offline (from the file: nothing fetched) and import it; forget it after."""
    out = tmp_path_factory.mktemp("client") / PACKAGE
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [
            BIN / "openapi-python-client",
            "generate",
            "--path",
            CONTRACT,
            "--meta",
            "none",
            "--output-path",
            out,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    sys.path.insert(0, str(out.parent))
    try:
        yield run, out, importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out.parent))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_the_client_is_generated_without_any_warning(generated):
    run, out, _ = generated
    assert run.returncode == 0, run.stderr
    assert (run.stdout + run.stderr).split() == ["Generating", str(out)], run.stdout + run.stderr


def _enums(out: Path) -> set[str]:
    return {
        path.stem
        for path in (out / "models").glob("*.py")
        if re.search(r"\((Str|Int)Enum\)", path.read_text())
    }


def test_one_enum_class_per_named_set(generated):
    """Every set of several values is a named component and gives one class, however often it is used
    (the tiers five times) and whether or not null is allowed beside it (smoking); the only others are
    the one-value sets, each used once ("Always `Bearer`.")."""
    _, out, _ = generated
    named = {name for name, schema in contract_dict()["components"]["schemas"].items() if "enum" in schema}
    snake = {re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower() for name in named}
    assert {"risk_tier", "smoking", "symptom_code"} <= snake <= _enums(out)
    assert len(_enums(out)) == len(snake) + len(list(_inline_enums(contract_dict())))


def _inline_enums(node, path=()):
    """Yield where an enum is written inline (a named component sits at components/schemas/<name>),
    with its number of values (null aside)."""
    if isinstance(node, dict):
        values = [v for v in node.get("enum", ()) if v is not None]
        if values and not (len(path) == 3 and path[:2] == ("components", "schemas")):
            yield "/".join(path), len(values)
        for key, value in node.items():
            yield from _inline_enums(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _inline_enums(value, (*path, str(i)))


def test_no_set_of_several_values_is_left_inline_in_the_contract():
    """Written inline, it would give a generated client one class per use (three when nullable)."""
    assert [path for path, size in _inline_enums(contract_dict()) if size > 1] == []


@pytest.mark.usefixtures("generated")
def test_the_batch_types_its_patients():
    batch = importlib.import_module(f"{PACKAGE}.models.batch_request").BatchRequest
    request = importlib.import_module(f"{PACKAGE}.models.assessment_request").AssessmentRequest
    parsed = batch.from_dict({"patients": [ASSESSMENT_EXAMPLES["high"]["value"]]})
    assert isinstance(parsed.patients[0], request)


def _transport(app) -> dict:
    return {"transport": httpx.WSGITransport(app=app)}


def test_a_plain_client_scores_a_patient_when_no_keys_are_configured(generated):
    """The contract lists anonymous access beside the key (`{}`). openapi-python-client 0.29.1 still
    types the argument as AuthenticatedClient (its issue #1372); a plain Client works all the same."""
    _, _, package = generated
    api = importlib.import_module(f"{PACKAGE}.api.assessments.create_assessment")
    models = importlib.import_module(f"{PACKAGE}.models")
    app = make_app(API_KEYS=())
    client = package.Client(base_url="http://localhost", httpx_args=_transport(app))
    high = ASSESSMENT_EXAMPLES["high"]["value"]
    assessment = api.sync(client=client, body=models.AssessmentRequest.from_dict(high))
    assert isinstance(assessment, models.Assessment)
    assert assessment.outcomes.pseudarthrosis.risk == models.RiskTier.HIGH
    assert assessment.to_dict() == app.test_client().post("/v1/assessments", json=high).get_json()


def test_the_batch_through_the_client_answers_a_bad_patient_alone(generated):
    """With a key (AuthenticatedClient), a batch whose second patient breaks the contract (under 18:
    the client does not check ranges): only that patient gets an error."""
    _, _, package = generated
    api = importlib.import_module(f"{PACKAGE}.api.assessments.create_assessment_batch")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = package.AuthenticatedClient(
        base_url="http://localhost", token=TEST_KEY, httpx_args=_transport(make_app())
    )
    patients = [make_patient(age=70), make_patient(age=16)]
    body = models.BatchRequest.from_dict({"patients": patients})
    answer = api.sync(client=client, body=body, view=models.BatchView.SUMMARY)
    assert isinstance(answer, models.BatchResponse)
    first, second = answer.results
    assert first.summary.outcomes.additional_properties["hardware_failure"].risk in models.RiskTier
    assert not first.error and list(second.error.errors.additional_properties) == ["age"]


def test_without_a_key_a_keyed_service_refuses_the_plain_client(generated):
    _, _, package = generated
    api = importlib.import_module(f"{PACKAGE}.api.assessments.create_assessment")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = package.Client(base_url="http://localhost", httpx_args=_transport(make_app()))
    response = api.sync_detailed(client=client, body=models.AssessmentRequest.from_dict(make_patient()))
    assert response.status_code == 401 and isinstance(response.parsed, models.Problem)
