"""deploy/smoke.py, the container smoke test's checks: they pass against the service as the image runs it
(the front before gunicorn, with a key), and fail against a server that is not it."""

from __future__ import annotations

import importlib.util

import pytest

from tests.helpers import ROOT, TEST_KEY
from tests.live.server import LiveServer

pytestmark = pytest.mark.live  # real servers


def _smoke():
    spec = importlib.util.spec_from_file_location("smoke", ROOT / "deploy" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


smoke = _smoke()


@pytest.fixture(scope="module")
def deployed():
    with LiveServer(workers=1, front=True, API_KEYS=TEST_KEY) as server:
        yield server


def test_the_checks_pass_against_the_deployed_shape(deployed, capsys):
    assert smoke.main([deployed.url, TEST_KEY]) == 0
    assert "the README's patient scored as the README shows" in capsys.readouterr().out


def test_an_answer_unlike_the_readmes_fails(deployed, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = smoke.readme_example()[1]["outcomes"]["pseudarthrosis"]["summary"]
    (tmp_path / "README.md").write_text(readme.replace(shown, "Low risk."), encoding="utf-8")
    monkeypatch.setattr(smoke, "README", tmp_path / "README.md")
    with pytest.raises(smoke.Failed, match="pseudarthrosis is"):
        smoke.check(deployed.url, TEST_KEY)


def test_gunicorn_alone_without_keys_fails():
    with LiveServer(workers=1) as server, pytest.raises(smoke.Failed, match="not 200 from nginx"):
        smoke.check(server.url, TEST_KEY)


def test_nothing_listening_fails_within_its_deadline():
    with pytest.raises(smoke.Failed, match="did not answer 200 within 1 s"):
        smoke.wait_ready("http://127.0.0.1:9", seconds=1)
