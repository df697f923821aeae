"""Fixtures of the core tests: a fresh, editable copy of the committed table."""

from __future__ import annotations

import copy

import pytest
import yaml

from service.core import ModelError, build_model
from service.core.load import MODEL_PATH


@pytest.fixture(scope="session")
def committed_table():
    """The committed table, parsed once (by the loader's own C parser)."""
    with MODEL_PATH.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


@pytest.fixture
def table(committed_table):
    """The committed table as parsed YAML, for a test to break (each test gets its own deep copy)."""
    return copy.deepcopy(committed_table)


def table_factor(table, factor_id):
    """The row of one factor in a parsed table."""
    return next(f for f in table["factors"] if f["id"] == factor_id)


def refuses(table, breakage, message):
    """Check the committed table loads, and that the copy `breakage` changes is refused naming `message`."""
    build_model(copy.deepcopy(table))
    breakage(table)
    with pytest.raises(ModelError, match=message):
        build_model(table)
