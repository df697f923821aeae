"""The README's first screen is a newcomer's path: the two commands, one example, where to click;
`make run` prints those addresses and each answers; `make help` shows the values in force."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import requests

from tests.live.server import ROOT, free_port, run_shell, shell, shell_environment, wait_ready
from tools.need import sentence

README = (ROOT / "README.md").read_text(encoding="utf-8")
# A first screen: what fits in a window before a newcomer scrolls (the example's answer included).
SCREEN_LINES = 70
ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)(/\S*?)(?=[\s>)]|$)")


def first_screen(text: str = README) -> str:
    """The README up to its second section: the title, what it is, and "Start here"."""
    return text[: text.index("\n## ", text.index("\n## ") + 1)]


def opened(text: str) -> list[str]:
    """The paths of the addresses a text tells the reader to open in a browser, in order."""
    return [path for _, path in ADDRESS.findall(text) if not path.startswith("/v1/")]


def test_the_first_screen_is_the_newcomers_path():
    screen = first_screen()
    assert len(screen.splitlines()) <= SCREEN_LINES
    assert "make run " in screen and "make test " in screen
    assert "<!-- generated: example -->" in screen and "<!-- end: example -->" in screen
    assert opened(screen) == ["/", "/docs", "/model", "/healthz"]
    assert re.search(r"[Mm]easured on a 2-core machine", screen)  # what the first run fetches and costs


def test_a_first_screen_that_grew_is_caught():
    long = "# T\n\n## Start here\n" + "line\n" * SCREEN_LINES + "\n## Next\n"
    assert len(first_screen(long).splitlines()) > SCREEN_LINES


def test_the_other_operations_detail_lives_in_docs():
    """Configuration, the front, the container and signed CDS set-up are linked, not told, here."""
    for heading in ("## Configuration", "## Operations", "## Container", "## Performance"):
        assert f"\n{heading}\n" not in README
    further = README[README.index("## Further reading") :]
    for page in ("configuration", "operations", "security", "performance", "testing", "cds-hooks-signed"):
        assert f"(docs/{page}.md)" in further


def _help(overrides: str = "") -> str:
    environment = {k: v for k, v in shell_environment().items() if k not in ("HOST", "PORT")}
    done = run_shell(f"make --no-print-directory help {overrides}", environment)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_help_shows_the_values_in_force():
    assert "127.0.0.1:8000" in _help() and "$(" not in _help()
    assert "0.0.0.0:9000" in _help("HOST=0.0.0.0 PORT=9000")


def readme_commands(text: str = README) -> list[str]:
    """The README's shell blocks a reader runs against `make run`: its example and its quick start."""
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [block for block in blocks if block.lstrip().startswith(("curl ", "# "))]


def answers(output: str) -> list:
    """The JSON documents a run of curl commands printed one after another."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while output[at:].strip():
        document, at = decoder.raw_decode(output, len(output) - len(output[at:].lstrip()))
        documents.append(document)
    return documents


def test_the_commands_are_the_example_and_the_quick_start():
    example, quick_start = readme_commands()
    assert example.startswith("curl -s http://127.0.0.1:8000/v1/assessments ")
    assert "/v1/assessments/batch" in quick_start and "/cds-services" in quick_start
    assert answers('{"a": 1}\n[2]{"b": {}}') == [{"a": 1}, [2], {"b": {}}]


@pytest.mark.live
def test_make_run_prints_the_first_screens_addresses_and_the_readmes_commands_work(tmp_path: Path):
    """`make run` as a newcomer types it: each address it prints answers, the README's example gets
    the answer the README shows, and every quick-start call gets a JSON answer that is no problem."""
    if shutil.which("curl") is None:
        pytest.fail(sentence("curl"), pytrace=False)
    port = free_port()
    environment = shell_environment(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1")
    environment.pop("API_KEYS", None)
    log = tmp_path / "run.log"
    with shell("make --no-print-directory run", log, environment) as started:
        wait_ready(f"http://127.0.0.1:{port}/readyz", started, log)
        printed = [
            line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("  http://")
        ]
        addresses = [line.split()[0] for line in printed]
        assert opened("\n".join(addresses)) == opened(first_screen())
        assert all(address.startswith(f"http://127.0.0.1:{port}/") for address in addresses)
        for address in addresses:
            assert requests.get(address, timeout=10).status_code == 200, address
        example, quick_start = (
            answers(_run(block.replace("127.0.0.1:8000", f"127.0.0.1:{port}"), environment))
            for block in readme_commands()
        )
    shown = json.loads(re.search(r"```json\n(.*?)```", first_screen(), re.DOTALL)[1])
    for name, outcome in example[0]["outcomes"].items():
        assert {key: outcome[key] for key in ("risk", "points", "summary")} == {
            key: shown["outcomes"][name][key] for key in ("risk", "points", "summary")
        }
    assert len(quick_start) == quick_start_calls(readme_commands()[1])
    assert not [answer for answer in quick_start if "status" in answer and "title" in answer]  # no problem


def quick_start_calls(block: str) -> int:
    return len(re.findall(r"^curl ", block, re.MULTILINE))


def _run(commands: str, environment: dict[str, str]) -> str:
    done = run_shell(f"set -e\n{commands}", environment)
    assert done.returncode == 0, done.stderr
    return done.stdout
