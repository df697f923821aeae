"""Progress of a long run: a tqdm bar on a terminal, else a log line every 30 seconds, or nothing."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

LOG_EVERY = 30.0  # seconds between log lines when no terminal shows a bar


class Progress:
    """Called with the rows of each chunk done; `mode` is auto, bar, log or none."""

    def __init__(self, mode: str, total: int, done: int = 0, stream: TextIO = sys.stderr) -> None:
        if mode == "auto":
            mode = "bar" if stream.isatty() else "log"
        self.mode, self.total, self.done, self.stream = mode, total, done, stream
        self.started = self.last = time.monotonic()
        self.bar = (
            tqdm(total=total, initial=done, unit="rows", file=stream, unit_scale=True)
            if mode == "bar"
            else None
        )

    def __call__(self, rows: int) -> None:
        self.done += rows
        if self.bar is not None:
            self.bar.update(rows)
        elif self.mode == "log" and time.monotonic() - self.last >= LOG_EVERY:
            self.last = time.monotonic()
            self.log()

    def log(self) -> None:
        share = self.done / self.total if self.total else 1.0
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        print(
            f"scored {self.done:,} of {self.total:,} rows ({share:.0%}), {rate:,.0f} rows/s", file=self.stream
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.mode == "log":
            self.log()
