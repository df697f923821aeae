"""Write examples/*.http from the contract's named request examples, one file per operation and one
request per named example (VS Code's REST Client, JetBrains' HTTP Client): `make docs`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

ROOT = Path(__file__).resolve().parents[1]
METHODS = ("get", "post", "put", "patch", "delete")
MEDIA_TYPES = ("application/fhir+json", "application/json")  # the body sent: FHIR's where it has one
HEADER = """# {method} {path}: {summary}
# Generated from openapi.yaml's named examples by `make docs` (tools/http_examples.py); do not edit.
# Open in VS Code (REST Client) or a JetBrains IDE (HTTP Client) and send a request from its ###
# line; @host is the service's address.
"""
# The key is optional: a service without API_KEYS ignores it. Declared only where a request sends it.
KEY_NOTE = "# With API_KEYS set, put one of the keys in @key (without keys, any value passes).\n"
# A CDS Hooks call is signed instead where the service lists the EHRs that may call it.
SIGNED_NOTE = "# With CDS_CLIENTS set, @key is a signed JWT from a listed EHR instead (each one used once).\n"
VARIABLES = {"host": "http://127.0.0.1:8000", "key": "change-me"}


def render(contract: dict[str, Any]) -> dict[str, str]:
    """Return each operation's .http file (name -> text), from the contract's named request examples;
    an operation without a body is one request named by its operationId."""
    files = {}
    for path, item in contract["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                head = _head(method, path, operation)
                requests = [_request(method, path, operation, *named) for named in _examples(operation)]
                files[f"{operation['operationId']}.http"] = "\n".join([head, *requests])
    return files


def _head(method: str, path: str, operation: dict[str, Any]) -> str:
    """The file's comment and its variables (`@name = value`: both clients' file variables)."""
    text = HEADER.format(method=method.upper(), path=path, summary=operation["summary"])
    names = ["host"]
    if operation.get("security"):
        text += KEY_NOTE + (SIGNED_NOTE if "cds" in operation.get("tags", ()) else "")
        names.append("key")
    return text + "\n" + "".join(f"@{name} = {VARIABLES[name]}\n" for name in names)


def _examples(operation: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Return (name, media type, example) per named request example; one unnamed request without a body."""
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in MEDIA_TYPES:
        examples = content.get(media_type, {}).get("examples")
        if examples:
            return [(name, media_type, example) for name, example in examples.items()]
    return [(operation["operationId"], "", None)]


def _request(method: str, path: str, operation: dict[str, Any], name: str, media_type: str, example) -> str:
    """One request: a `###` line naming the example, its method and URL, headers, and the body."""
    summary = (example or {}).get("summary") or operation["summary"]
    query = (example or {}).get("x-query")
    lines = [f"### {name}: {summary}", f"# @name {name.replace('-', '_')}"]  # an identifier in both clients
    lines.append(f"{method.upper()} {{{{host}}}}{path}{'?' + urlencode(query) if query else ''}")
    if operation.get("security"):
        lines.append("Authorization: Bearer {{key}}")
    if example is None:
        return "\n".join(lines) + "\n"
    lines += [f"Content-Type: {media_type}", "", json.dumps(example["value"], indent=2, ensure_ascii=False)]
    return "\n".join(lines) + "\n"


def write(folder: Path, files: dict[str, str]) -> None:
    """Write the files into `folder`, removing any .http file the contract no longer gives."""
    folder.mkdir(exist_ok=True)
    for stale in set(p.name for p in folder.glob("*.http")) - set(files):
        (folder / stale).unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    contract = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples", render(contract))
