"""The CDS Hooks tokens already used: each JWT's `jti` is accepted once per deployment within its
lifetime, remembered in a small SQLite table that every worker process of the deployment shares
(a file in CDS_REPLAY_DIR, not a server), each row dropped once its token has expired."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

BUSY_SECONDS = 5.0  # another worker's write is waited for this long at most (each takes microseconds)
SCHEMA = "CREATE TABLE IF NOT EXISTS seen (jti TEXT PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID"


def store_path(directory: str) -> Path:
    """The table's file: in `directory`, else the temporary directory, one per user (a machine's
    shared /tmp: another user's file is never used)."""
    return Path(directory or tempfile.gettempdir()) / f"sfr-cds-tokens-{os.getuid()}.sqlite3"


class SeenTokens:
    """`first_use(jti, expires)`: True the first time a `jti` is offered before it expires, in any
    process sharing the file; False on every replay."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._db: sqlite3.Connection | None = None
        self._forked: list[sqlite3.Connection] = []
        self._open().close()  # a directory that cannot hold the table stops the start

    def first_use(self, jti: str, expires: float) -> bool:
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
            try:
                db.execute("DELETE FROM seen WHERE expires <= ?", (self.clock(),))
                inserted = db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (jti, expires)).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return inserted == 1

    def _connection(self) -> sqlite3.Connection:
        """This process's connection, opened on first use: gunicorn loads the app, then forks its
        workers, and a connection must never cross a fork."""
        if self._db is None or self._pid != os.getpid():
            if self._db is not None:  # the parent's: closing it here would act on the parent's file
                self._forked.append(self._db)
            self._db, self._pid = self._open(), os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # a crash may forget the last tokens, never corrupt
        db.execute(SCHEMA)
        return db
