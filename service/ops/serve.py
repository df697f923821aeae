"""The production shape, one command: nginx (the buffering front) on $HOST:$PORT before gunicorn on
a private unix socket; started together, stopped together, and gone when either dies.

`python -m service.ops.serve [APP]` (APP: wsgi:app by default) is the container's command and
`make serve`'s. SIGTERM or SIGINT stops nginx gracefully first (it stops listening and finishes
the requests under way, which gunicorn still answers), then gunicorn (graceful_timeout).
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from ..config import DEFAULTS, ConfigError, from_environ
from . import front

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60  # for gunicorn to load the model and open its socket
NGINX_STOP_SECONDS = 20  # > worker_shutdown_timeout
GUNICORN_STOP_SECONDS = 30  # > graceful_timeout
# nginx's error-log lines: "2026/01/01 00:00:00 [warn] 12#12: *3 message, client: ..., request: ..."
NGINX_LINE = re.compile(r"^\S+ \S+ \[(\w+)\] [\d#]+: (?:\*\d+ )?(.*?)(?:, client: .*)?$")
LEVELS = {"emerg": "CRITICAL", "alert": "CRITICAL", "crit": "CRITICAL", "error": "ERROR", "warn": "WARNING"}


def main(argv: list[str]) -> int:
    app = argv[0] if argv else "wsgi:app"
    try:
        settings = {**DEFAULTS, **from_environ()}
    except ConfigError as error:
        _log("CRITICAL", "invalid configuration", error=str(error))
        return 3
    _raise_file_limit()
    run = Path(tempfile.mkdtemp(prefix="sfr-front-"))  # private (0700): only this user reaches the socket
    listen = f"{_host(os.environ.get('HOST', '127.0.0.1'))}:{os.environ.get('PORT', '8000')}"
    (run / "nginx.conf").write_text(front.render(settings, run, listen), encoding="utf-8")
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    # Each in a process group of its own, so that whatever one leaves behind can be stopped with it.
    app_server = subprocess.Popen(
        [*gunicorn, "--bind", f"unix:{run}/app.sock", app], cwd=ROOT, process_group=0
    )
    nginx = None
    try:
        if not _wait_for(run / "app.sock", app_server, stopping):
            return app_server.poll() or 1
        nginx = subprocess.Popen(
            [front.nginx(), "-p", str(run), "-c", str(run / "nginx.conf"), "-e", "stderr"],
            stderr=subprocess.PIPE,  # ours: a non-root nginx can reopen it as /dev/stderr (its access log)
            process_group=0,
        )
        threading.Thread(target=_relay, args=(nginx.stderr,), daemon=True).start()
        while not stopping.wait(0.2):
            if nginx.poll() is not None or app_server.poll() is not None:
                died = "nginx" if nginx.poll() is not None else "gunicorn"
                _log("CRITICAL", "a process of the service exited; stopping the other", process=died)
                return 1
        return 0
    finally:
        _stop(nginx, signal.SIGQUIT, NGINX_STOP_SECONDS)  # graceful: finish what is under way
        _stop(app_server, signal.SIGTERM, GUNICORN_STOP_SECONDS)
        shutil.rmtree(run, ignore_errors=True)


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address, as nginx's listen wants it


def _raise_file_limit() -> None:
    """Let nginx hold its connections: the soft limit on open files up to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = front.FILES if hard == resource.RLIM_INFINITY else min(hard, max(soft, front.FILES))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < front.FILES:
        _log("WARNING", "open-file limit below what the front is sized for", limit=wanted)


def _wait_for(socket_path: Path, process: subprocess.Popen, stopping: threading.Event) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and not stopping.is_set():
        if socket_path.exists():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen | None, signum: int, seconds: float) -> None:
    """Stop a process with `signum`, then kill whatever of its group is left (an nginx worker whose
    master was killed, for one, would go on serving)."""
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _relay(stream: IO[bytes] | None) -> None:
    """Write nginx's stderr as JSON lines: its access lines are JSON already; an error-log line
    keeps its level and message, never the client, request or host nginx appends (they can hold
    a URL, so a patient's data)."""
    for raw in stream or ():
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if line.startswith("{"):
            os.write(2, raw if raw.endswith(b"\n") else raw + b"\n")
            continue
        _log(*nginx_level(line))


def nginx_level(line: str) -> tuple[str, str]:
    """Return an nginx error-log line's level and message. What a client caused ("client intended to
    send too large body", "client sent invalid header line", ...) is a WARNING, never an ERROR, as
    the service logs it: anyone could otherwise fill the ERROR log."""
    found = NGINX_LINE.match(line)
    if not found:
        return "WARNING", line[:200]
    level, message = LEVELS.get(found[1], "INFO"), found[2]
    return ("WARNING" if level == "ERROR" and message.startswith("client ") else level), message


def _log(level: str, message: str, **fields: object) -> None:
    from .logs import json_line

    os.write(2, json_line(time.time(), level, "front", message, fields) + b"\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
