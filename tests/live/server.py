"""Run the real service on a free 127.0.0.1 port, for live tests: as deployed (`front=True`: nginx
before gunicorn, `python -m service.ops.serve`, what `make serve` and the container run) or
gunicorn alone (gunicorn.conf.py, what `make run` runs)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The service serving `app`, its stderr (JSON log lines) kept in a file."""

    def __init__(
        self,
        workers: int = 2,
        app: str = "wsgi:app",
        ready: str = "/readyz",
        front: bool = False,
        **environment: str,
    ) -> None:
        self.workers = workers
        self.app = app
        self.ready = ready
        self.front = front
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="live-server-"))
        self.log_path = self.workdir / "server.log"
        self.environment = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / "metrics"),
            **environment,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> LiveServer:
        self._log = self.log_path.open("wb")
        command = [str(GUNICORN), "--config", "gunicorn.conf.py", self.app]
        if self.front:
            command = [sys.executable, "-m", "service.ops.serve", self.app]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.close()
                raise RuntimeError(f"the server exited: {self.log()}")
            try:
                ready = requests.get(self.url + self.ready, timeout=1).ok
            except requests.ConnectionError:
                ready = False
            if ready and len(self.worker_pids()) == self.workers:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not become ready")

    def children(self) -> list[int]:
        """Return the pids of the server's own children (deployed: gunicorn's master and nginx's)."""
        return _children(self.process.pid)

    def gunicorn_pid(self) -> int:
        """Return the pid of gunicorn's master (the front's child that runs gunicorn)."""
        if not self.front:
            return self.process.pid
        for pid in self.children():
            if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        raise FileNotFoundError("no gunicorn under the front")

    def worker_pids(self) -> list[int]:
        """Return the pids of gunicorn's workers (its master's children)."""
        try:
            return _children(self.gunicorn_pid())
        except FileNotFoundError:
            return []

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 30) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()
        return self.process.returncode

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def raw_exchange(
    port: int, data: bytes, timeout: float = 10, source: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to 127.0.0.1:port (from the `source` address) and return the answer's status,
    headers and body."""
    address = (source, 0) if source else None
    with socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=address) as connection:
        connection.sendall(data)
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if length and len(body) >= int(length[1]):
                break
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body
