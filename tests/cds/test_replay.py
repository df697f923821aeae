"""The tokens already used: one table every worker process shares, each row kept until its token
expires."""

from __future__ import annotations

import os

import pytest

from service.cds.replay import SeenTokens, store_path
from service.config import ConfigError
from tests.helpers import make_app


class Clock:
    now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_is_accepted_once_until_it_expires(tmp_path):
    clock = Clock()
    seen = SeenTokens(store_path(str(tmp_path)), clock)
    assert seen.first_use("a", expires=1_300.0)
    assert not seen.first_use("a", expires=1_300.0)
    assert seen.first_use("b", expires=1_300.0)
    clock.now = 1_300.0  # expired: its row is gone, and an expired token is refused before this anyway
    assert seen.first_use("a", expires=1_600.0)


def test_every_worker_shares_the_memory(tmp_path):
    """Two workers, each with its own object and connection, one table: a token used on one is a
    replay on the other."""
    first, second = (SeenTokens(store_path(str(tmp_path))) for _ in range(2))
    assert first.first_use("jti-1", expires=1e10)
    assert not second.first_use("jti-1", expires=1e10)


def test_a_forked_worker_opens_its_own_connection_and_sees_the_parent_s_rows(tmp_path):
    seen = SeenTokens(store_path(str(tmp_path)))
    assert seen.first_use("before-the-fork", expires=1e10)
    child = os.fork()
    if child == 0:  # a gunicorn worker, forked from the master that built the app
        replayed = not seen.first_use("before-the-fork", expires=1e10)
        fresh = seen.first_use("in-the-child", expires=1e10)
        os._exit(0 if replayed and fresh else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert not seen.first_use("in-the-child", expires=1e10)


def test_a_directory_that_cannot_hold_the_table_stops_the_start(tmp_path):
    from tests.helpers.cds import Issuer

    with pytest.raises(ConfigError, match="CDS_REPLAY_DIR"):
        make_app(
            CDS_CLIENTS={Issuer.__name__: "https://ehr.example/jwks"}, CDS_REPLAY_DIR=str(tmp_path / "no")
        )
