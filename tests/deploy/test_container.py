"""The Dockerfile: lint-clean, non-root, with a health check, copying only files that exist."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def instructions():
    """Yield (instruction, arguments) with continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            yield keyword.upper(), rest.strip()


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or str(Path(__import__("sys").executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.fail("hadolint is not installed (it comes with requirements-dev.txt)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_copy_source_exists_and_reaches_the_build_context():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = {line[1:].rstrip("/") for line in ignored if line.startswith("!")}
    copies = [shlex.split(rest) for keyword, rest in instructions() if keyword == "COPY"]
    assert copies
    for words in copies:
        for source in [w for w in words[:-1] if not w.startswith("--")]:
            assert (ROOT / source).exists(), f"COPY source {source} does not exist"
            assert source.rstrip("/") in allowed, f"{source} is excluded by .dockerignore"


def test_image_shape():
    steps = list(instructions())
    assert ("ARG", "BASE_IMAGE=python:3.11-slim") in steps
    assert ("FROM", "${BASE_IMAGE}") in steps
    users = [rest for keyword, rest in steps if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert any(keyword == "HEALTHCHECK" and "/healthz" in rest for keyword, rest in steps)
    assert steps[-1] == ("CMD", '["python", "-m", "service.ops.serve"]')  # the front before gunicorn
    assert any(
        keyword == "RUN" and "apt-get install" in rest and " nginx " in rest for keyword, rest in steps
    )
