"""The front's configuration: rendered from the service's settings, accepted by nginx, and answering
what nginx refuses itself as the service's problem documents."""

from __future__ import annotations

import re
import subprocess

import orjson
import pytest

from schemas import ProblemSchema
from service.config import DEFAULTS
from service.http import headers
from service.http.forms import MAX_UPLOAD_BYTES
from service.ops import front
from service.ops.serve import nginx_level


@pytest.fixture
def rendered(tmp_path):
    settings = {**DEFAULTS, "MAX_BATCH_BODY_BYTES": 1234567, "FRONT_CONNECTIONS_PER_CLIENT": 42}
    return front.render(settings, tmp_path, "127.0.0.1:8123"), tmp_path


def test_every_placeholder_is_filled(rendered):
    text, _ = rendered
    assert not re.search(r"^[^#]*@[A-Z_]+@", text, re.M)  # nothing left unrendered
    assert "client_max_body_size 1234567;" in text and "limit_conn per_client 42;" in text
    assert f"client_max_body_size {MAX_UPLOAD_BYTES};" in text  # the CSV upload page
    assert "listen 127.0.0.1:8123 " in text


def test_nginx_accepts_it(rendered):
    """`nginx -t` parses the whole file, as the container's nginx will (CI installs Debian's)."""
    text, run = rendered
    (run / "nginx.conf").write_text(text.replace("daemon off;", ""))
    result = subprocess.run(
        [front.nginx(), "-t", "-p", str(run), "-c", str(run / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_the_deadlines_are_the_documented_ones(rendered):
    text, _ = rendered
    for directive, name in [
        ("client_header_timeout", "HEADER_TIMEOUT"),
        ("client_body_timeout", "BODY_TIMEOUT"),
        ("send_timeout", "SEND_TIMEOUT"),
        ("keepalive_timeout", "KEEPALIVE_TIMEOUT"),
    ]:
        assert re.search(rf"^\s*{directive} {front.TIMEOUTS[name]}s;", text, re.M), directive


@pytest.mark.parametrize("status", front.FRONT_STATUSES)
def test_what_nginx_refuses_is_a_problem_document_with_the_security_headers(rendered, status):
    text, _ = rendered
    block = text.split(f"location = /.front/{status} {{", 1)[1].split("\n        }", 1)[0]
    body = re.search(r"return (\d+) '(.*)';", block)
    answered = int(body[1])
    problem = orjson.loads(body[2].replace("$request_id", "0" * 32))
    assert ProblemSchema().validate(problem) == {}
    assert problem["status"] == answered == front.NGINX_STATUS.get(status, status)
    for name, value in [*headers.HEADERS, headers.REFERRER, headers.API_CSP, headers.NO_STORE]:
        assert f'add_header {name} "{value}" always;' in block
    assert f"error_page {status} ={answered} /.front/{status};" in text


def test_no_proxy_header_from_outside_reaches_gunicorn(rendered):
    text, _ = rendered
    for header in ["Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP"]:
        assert f'proxy_set_header {header} "";' in text
    assert "underscores_in_headers off;" in text  # SCRIPT_NAME, PATH_INFO as headers are dropped


def test_the_allow_header_of_nginx_s_own_405_names_every_method_the_service_routes():
    from tests.helpers import make_app

    methods = {method for rule in make_app().url_map.iter_rules() for method in rule.methods or ()}
    assert ", ".join(sorted(methods)) == front.ALLOWED_ANYWHERE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "2026/12/04 17:00:00 [error] 12#12: *3 client intended to send too large body: 600327 bytes, "
            'client: 127.0.0.1, server: _, request: "POST /score-file?name=Jane HTTP/1.1"',
            ("WARNING", "client intended to send too large body: 600327 bytes"),
        ),
        (
            "2026/12/04 17:00:00 [error] 12#12: *3 connect() to unix:/tmp/x/app.sock failed (111: Connection "
            'refused), client: 127.0.0.1, request: "GET /healthz HTTP/1.1"',
            ("ERROR", "connect() to unix:/tmp/x/app.sock failed (111: Connection refused)"),
        ),
        ("2026/12/04 17:00:00 [crit] 1#1: something", ("CRITICAL", "something")),
        ("2026/12/04 17:00:00 [notice] 1#1: signal process started", ("INFO", "signal process started")),
    ],
)
def test_nginx_lines_keep_their_level_but_what_a_client_caused_is_a_warning(line, expected):
    assert nginx_level(line) == expected
