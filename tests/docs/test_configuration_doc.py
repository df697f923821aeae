"""docs/configuration.md's table and the code agree: every setting the service reads from the
environment has its row, and every row names a variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

from service.config import ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)` \|", re.MULTILINE)
# The server's own settings, read by gunicorn.conf.py and the front's command rather than the app.
SERVER_FILES = ("gunicorn.conf.py", "service/ops/serve.py", "service/ops/metrics.py")


def documented(text: str) -> list[str]:
    return ROW.findall(text)


def read_by_the_server(name: str) -> bool:
    said = re.compile(rf"""["']{name}["']""")
    return any(said.search((ROOT / path).read_text(encoding="utf-8")) for path in SERVER_FILES)


def test_every_setting_has_its_row_and_every_row_is_read():
    rows = documented((ROOT / "docs/configuration.md").read_text(encoding="utf-8"))
    assert len(rows) == len(set(rows)), "a variable has two rows"
    assert sorted(set(ENVIRONMENT) - set(rows)) == []
    assert [name for name in rows if name not in ENVIRONMENT and not read_by_the_server(name)] == []


def test_a_missing_or_unknown_row_is_caught():
    rows = documented("| `API_KEYS` | *(none)* | keys |\n| `NO_SUCH_SETTING` | `1` | nothing |\n")
    assert set(ENVIRONMENT) - set(rows) and not read_by_the_server("NO_SUCH_SETTING")
