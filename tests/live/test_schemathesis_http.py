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


# Every check, on every operation but one: a batch answers a patient the contract refuses with that
# patient's own error, in a 200 (by design; tests/http/test_schemathesis.py holds it to exactly that),
# so its negative cases are not refusals. (A check named on the command line would override this.)
CONFIG = """
[checks]
enabled = true

[[operations]]
include-operation-id = "createAssessmentBatch"
checks.negative_data_rejection.enabled = false
"""


def test_schemathesis_finds_nothing_over_http(live, tmp_path):
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(config),
            "run",
            str(CONTRACT),
            "--url",
            live.url,
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
