"""The README and docs/api.md: their generated blocks match the model table, and nothing else
in them states the model's numbers; every file the README and docs/ name exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.core import default_model
from tools.readme import BLOCK, BLOCKS, FILES, fill

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", FILES)
def test_generated_blocks_are_fresh(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert fill(text, default_model()) == text, f"{name} is stale: run `make docs`"


def test_every_block_is_used_and_filled():
    used = [m for name in FILES for m in BLOCK.finditer((ROOT / name).read_text(encoding="utf-8"))]
    assert sorted(m["name"] for m in used) == sorted(BLOCKS)
    assert all(m["body"].strip() for m in used)


def test_a_stale_block_is_caught():
    stale = "<!-- generated: tiers -->\n- **low**: 0–3 points\n<!-- end: tiers -->"
    assert fill(stale, default_model()) != stale


def test_the_example_is_the_services_real_answer(client):
    """The README's example request, posted to the app, answers what the README shows."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(m["body"] for m in BLOCK.finditer(readme) if m["name"] == "example")
    body = block.split("-d '", 1)[1].split("'", 1)[0]
    answer = client.post("/v1/assessments", data=body, content_type="application/json").get_json()
    for outcome in answer["outcomes"].values():
        assert f'"summary": "{outcome["summary"]}"' in block
    assert f'"version": "{answer["model"]["version"]}"' in block


REPO_PATH = re.compile(
    r"\b(?:service|schemas|tools|bench|tests|deploy|docs)/[\w/.-]+\.(?:py|ya?ml|md|json|conf|png)\b"
)
FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)  # listings quoted as they were
OUTPUTS = ("bench/results/",)  # written by `make bench`, not kept in the repository


def named_paths(text: str) -> set[str]:
    return {path for path in REPO_PATH.findall(FENCED.sub("", text)) if not path.startswith(OUTPUTS)}


@pytest.mark.parametrize("document", ["README.md", *(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))])
def test_every_file_a_document_names_exists(document):
    missing = {path for path in named_paths((ROOT / document).read_text()) if not (ROOT / path).exists()}
    assert not missing, f"{document} names files that do not exist: {sorted(missing)}"


def test_a_named_file_that_is_gone_is_caught():
    text = "see `service/fastlane.py`, `bench/results/latest.md` and\n```\nservice/observe.py\n```"
    assert named_paths(text) == {"service/fastlane.py"}
