"""The WSGI entry point: a bad setting stops the start with one line naming it, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start(**settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **settings}
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_a_bad_setting_stops_the_start_with_one_line_naming_it():
    started = start(API_KEYS="short")
    assert started.returncode == 1
    assert "Traceback" not in started.stderr
    assert started.stderr.strip().splitlines() == [
        "Configuration error, the service did not start: API_KEYS: every key needs at least 16 characters"
    ]


def test_good_settings_start():
    assert start(API_KEYS="a-key-of-sixteen-chars").returncode == 0
