"""examples/*.http: generated from the contract's named request examples, fresh, written in the syntax
VS Code's REST Client and JetBrains' HTTP Client share, and every request in them, read as those
clients read it, answered with its operation's documented status by the app (the test client holds
each answer to openapi.yaml), with API keys configured and without."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import ROOT, TEST_KEY, make_app
from tests.helpers.contract import contract_dict
from tools.http_examples import render

FOLDER = ROOT / "examples"
HOST = "http://127.0.0.1:8000"
# What both clients read: file variables (`@name = value`, JetBrains' in-place variables) above the
# first request; each request a `###` line, an optional `# @name`, the request line, headers, a blank
# line and the body; `{{name}}` where a variable is put in.
VARIABLE = re.compile(r"^@([A-Za-z_]\w*) = (.*)$")
NAME = re.compile(r"^# @name ([A-Za-z_]\w*)$")
REQUEST_LINE = re.compile(r"^(GET|POST) \{\{host\}\}/\S*$")
HEADER = re.compile(r"^[A-Za-z-]+: \S.*$")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def test_the_examples_are_fresh():
    files = render(contract_dict())
    assert {p.name for p in FOLDER.glob("*.http")} == set(files), "run `make docs`"
    for name, text in files.items():
        assert (FOLDER / name).read_text(encoding="utf-8") == text, f"{name}: run `make docs`"


def test_every_operation_and_named_example_has_a_request():
    requests = {(path.stem, request[0]) for path in FOLDER.glob("*.http") for request in parse(path)}
    expected = set()
    for item in contract_dict()["paths"].values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            names = {n for media in content.values() for n in media.get("examples", {})}
            expected |= {(operation["operationId"], n) for n in names or {operation["operationId"]}}
    assert requests == expected


@pytest.mark.parametrize("path", sorted(FOLDER.glob("*.http")), ids=lambda p: p.name)
def test_each_file_is_in_the_syntax_both_clients_read(path):
    text = path.read_text(encoding="utf-8")
    head, *chunks = re.split(r"^###", text, flags=re.MULTILINE)
    variables = {}
    for line in head.splitlines():
        assert not line or line.startswith("#") or VARIABLE.match(line), line
        if match := VARIABLE.match(line):
            variables[match[1]] = match[2]
    keyed = "Authorization: Bearer {{key}}" in text  # the key: declared where sent, and only there
    assert variables == {"host": HOST, **({"key": "change-me"} if keyed else {})}
    names = []
    for chunk in chunks:
        lines = chunk.split("\n")
        assert lines[0].startswith(" ") and lines[0].strip(), lines[0]  # `### title`
        assert NAME.match(lines[1]), lines[1]
        names.append(lines[1])
        assert REQUEST_LINE.match(lines[2]), lines[2]
        request, _, body = "\n".join(lines[3:]).partition("\n\n")
        assert all(HEADER.match(line) for line in request.splitlines() if line), request
        assert set(PLACEHOLDER.findall(chunk)) <= set(variables)
        assert "{{" not in body  # a body goes as written
    assert len(names) == len(set(names)), "a request name twice"


def parse(path: Path, key: str | None = None) -> list[tuple[str, str, str, dict[str, str], str]]:
    """Return (name, method, url, headers, body) per request, as a client sends them: the file's
    variables put in, `key` (when given) in place of the file's @key as a person sets it."""
    head, *chunks = re.split(r"^###", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    variables = dict(m.groups() for line in head.splitlines() if (m := VARIABLE.match(line)))
    if key is not None:
        variables["key"] = key

    def put(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: variables[m[1]], text)

    found = []
    for chunk in chunks:
        title, _, rest = chunk.partition("\n")
        lines = [line for line in rest.split("\n") if not line.startswith("#")]
        request, _, body = "\n".join(lines).partition("\n\n")
        start, *header_lines = request.strip().split("\n")
        method, url = put(start).split(" ", 1)
        headers = dict(put(line).split(": ", 1) for line in header_lines)
        found.append((title.strip().split(":")[0], method, url, headers, body.strip()))
    return found


def send(app, method: str, url: str, headers: dict[str, str], body: str):
    """Send one request through a contract client (its answer validated against openapi.yaml), with
    only the file's own headers."""
    client = app.test_client()
    client.environ_base.pop("HTTP_AUTHORIZATION")
    return client.open(url.removeprefix(HOST), method=method, headers=headers, data=body.encode() or None)


def _success(url: str, method: str) -> int:
    """Return the one 2xx status the contract documents for the operation a URL and method call."""
    path = url.removeprefix(HOST).split("?")[0]
    responses = contract_dict()["paths"][path][method.lower()]["responses"]
    (status,) = [int(code) for code in responses if code.startswith("2")]
    return status


# With keys: the key a person puts in @key; without: the file as it is (its placeholder key ignored).
KEYED, OPEN = make_app(), make_app(API_KEYS=())
REQUESTS = [
    pytest.param(app, *request, id=f"{label} {path.stem} {request[0]}")
    for label, app, key in (("keys", KEYED, TEST_KEY), ("no-keys", OPEN, None))
    for path in sorted(FOLDER.glob("*.http"))
    for request in parse(path, key)
]


@pytest.mark.parametrize(("app", "name", "method", "url", "headers", "body"), REQUESTS)
def test_every_request_is_answered_as_documented(app, name, method, url, headers, body):
    assert url.startswith(HOST)
    response = send(app, method, url, headers, body)
    assert response.status_code == _success(url, method), (name, response.get_data(as_text=True)[:300])


def test_a_keyed_service_refuses_the_placeholder_key():
    """The requests that need a key carry @key: the file's placeholder is refused where keys are set."""
    keyed = [(p, r) for p in FOLDER.glob("*.http") for r in parse(p) if "Authorization" in r[3]]
    assert keyed
    for _, (name, method, url, headers, body) in keyed:
        assert headers["Authorization"] == "Bearer change-me"
        assert send(KEYED, method, url, headers, body).status_code == 401, name
