"""Fixtures of the core tests: a fresh, editable copy of the committed table."""

from __future__ import annotations

import pytest
import yaml

from service.core.load import MODEL_PATH


@pytest.fixture
def table():
    """The committed table as parsed YAML, for a test to break (each test gets its own)."""
    return yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))


def table_factor(table, factor_id):
    """The row of one factor in a parsed table."""
    return next(f for f in table["factors"] if f["id"] == factor_id)
