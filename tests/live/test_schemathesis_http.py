"""schemathesis over HTTP against the real server: every operation, all checks, all phases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import TEST_KEY
from tests.helpers.contract import CONTRACT

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
ROOT = Path(__file__).resolve().parents[2]


def test_schemathesis_finds_nothing_over_http(live, tmp_path):
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            str(CONTRACT),
            "--url",
            live.url,
            "--checks",
            "all",
            "--header",
            f"Authorization: Bearer {TEST_KEY}",
            "--max-examples",
            "40",
            "--request-timeout",
            "10",
            "--seed",
            "20261121",
            "--no-color",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SCHEMATHESIS_HOOKS": "tests.helpers.schemathesis_hooks"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
