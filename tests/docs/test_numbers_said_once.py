"""Every number said once: a threshold changed in a copy of the table changes every published
document that states it (the contract, the model card, the README's and docs/api.md's generated
blocks, GET /v1/model), and says the new value; nothing restates the old one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from service.core.load import MODEL_PATH
from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # fresh interpreters publishing every document (the freshness tests stay fast)

# Run in a fresh interpreter: the table is read when the wire format is first imported.
PUBLISH = """
import json, logging, sys
from pathlib import Path
import service.core.load
service.core.load.MODEL_PATH = Path(sys.argv[1])
logging.disable(logging.WARNING)
from service import create_app
from service.core import default_model
from service.http.references import contract_yaml
from service.pages.card import render_card
from tools.readme import FILES, fill
app = create_app({"TESTING": True})
model = default_model()
documents = {
    "openapi.yaml": contract_yaml(app),
    "docs/model-card.md": render_card(model),
    **{name: fill(Path(name).read_text(encoding="utf-8"), model) for name in FILES},
    "GET /v1/model": app.test_client().get("/v1/model").get_data(as_text=True),
}
print(json.dumps(documents))
"""
DOCUMENTS = ("openapi.yaml", "docs/model-card.md", "README.md", "docs/api.md")


def published(table: dict, folder) -> dict[str, str]:
    path = folder / "model.yaml"
    path.write_text(yaml.safe_dump(table, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def table() -> dict:
    return yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))


def _tier_from(tier: str, points: int):
    def change(t):
        next(row for row in t["tiers"] if row["id"] == tier)["min_points"] = points

    return change


def _adult_age(age: int):
    def change(t):
        t["adult_age"] = t["inputs"]["age"]["min"] = age

    return change


def _recent_quit(months: int):
    def change(t):
        smoking = next(row for row in t["factors"] if row["id"] == "smoking")
        smoking["thresholds"]["recent_quit_months"] = months

    return change


def _most_levels(levels: int):
    def change(t):
        t["inputs"]["levels_fused"]["max"] = levels

    return change


# A change, the texts that say it afterwards, and the documents that publish it.
CHANGES = {
    "a tier's lowest points": (
        _tier_from("moderate", 3),
        ("3–4 points",),
        {"openapi.yaml", "docs/model-card.md", "README.md", "GET /v1/model"},
    ),
    "an input's lowest bound (the adult age)": (
        _adult_age(21),
        ("21",),
        {"openapi.yaml", "docs/model-card.md", "docs/api.md", "GET /v1/model"},
    ),
    "an input's highest bound (levels fused)": (
        _most_levels(20),
        ("1–20", '"max":20'),  # the contract's descriptions, the model's data
        {"openapi.yaml", "GET /v1/model"},
    ),
    "a factor's threshold (a recent quit), said in a level's label and a what-if": (
        _recent_quit(9),  # the examples' patient, who quit 4 months ago, still quit recently
        ("quit less than 9 months ago", "until 9 months have passed"),
        {"openapi.yaml", "docs/model-card.md", "docs/api.md", "GET /v1/model"},
    ),
}


@pytest.fixture(scope="module")
def committed(tmp_path_factory, app):
    """The documents published from an unchanged copy: the committed ones, and the app's answer."""
    documents = published(table(), tmp_path_factory.mktemp("unchanged"))
    for name in DOCUMENTS:
        assert documents[name] == (ROOT / name).read_text(encoding="utf-8"), name
    assert documents["GET /v1/model"] == app.test_client().get("/v1/model").get_data(as_text=True)
    return documents


@pytest.mark.parametrize("case", CHANGES, ids=list(CHANGES))
def test_a_changed_threshold_changes_every_document_that_states_it(committed, tmp_path, case):
    change, said, publishers = CHANGES[case]
    changed = table()
    change(changed)
    documents = published(changed, tmp_path)
    assert {name for name, text in documents.items() if text != committed[name]} == publishers
    for name in publishers:
        assert sum(documents[name].count(text) for text in said) > sum(
            committed[name].count(t) for t in said
        ), name
