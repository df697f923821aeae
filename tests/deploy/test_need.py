"""tools/need.py: what a make target runs is installed with apt-get when missing, or named in one
sentence with the command that installs it; every tool the Makefile names is known."""

from __future__ import annotations

import re
import stat

import pytest

from tests.helpers import ROOT
from tools import need

LOG = "apt.log"


def command(folder, name, body="exit 0"):
    """An executable shell script `name` in `folder`."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """An empty PATH of its own: only the commands a test puts there are found (and /usr/sbin's)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def apt_get(folder, fails=""):
    """A fake apt-get that logs its arguments and, on install, makes each named package's command."""
    makes = "".join(
        f'case " $* " in *" {tool.package} "*) printf "#!/bin/sh\\n" > {folder / tool.commands[0]}; '
        f"/bin/chmod +x {folder / tool.commands[0]};; esac\n"
        for tool in need.TOOLS.values()
    )
    command(
        folder,
        "apt-get",
        f'echo "$*" >> {folder / LOG}\ncase "$1" in {fails or "none"}) exit 100;; esac\n{makes}',
    )


def logged(folder) -> list[str]:
    path = folder / LOG
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_nothing_missing_installs_nothing(bin_dir, monkeypatch):
    command(bin_dir, "chromium")
    apt_get(bin_dir)
    assert need.main(["chromium"]) == 0
    assert logged(bin_dir) == []


def test_root_installs_what_is_missing_with_apt_get(bin_dir, monkeypatch):
    command(bin_dir, "npm")
    apt_get(bin_dir)
    monkeypatch.setattr(need.os, "geteuid", lambda: 0)
    assert need.main(["chromium", "npm", "java"]) == 0
    update, install = logged(bin_dir)
    assert update.startswith("update")
    assert install.startswith("install -y") and install.endswith(
        "--no-install-recommends chromium openjdk-17-jre-headless"
    )
    assert need.missing(["chromium", "java"]) == []


def test_a_user_with_sudo_installs_through_it(bin_dir, monkeypatch):
    apt_get(bin_dir)
    command(bin_dir, "sudo", f'[ "$1" = -n ] && exit 0\necho sudo >> {bin_dir / LOG}\nexec "$@"')
    monkeypatch.setattr(need.os, "geteuid", lambda: 1000)
    assert need.main(["mmdebstrap"]) == 0
    assert logged(bin_dir)[0] == "sudo" and logged(bin_dir)[-1].endswith("--no-install-recommends mmdebstrap")


@pytest.mark.parametrize(
    ("setup", "why", "how"),
    [
        ("no apt-get", "this machine has no apt-get", "install the Debian packages chromium npm"),
        ("no sudo", "this user is not root and has no sudo", "run `sudo apt-get install chromium npm`"),
        (
            "sudo asks",
            "sudo needs a password no one can type here",
            "run `sudo apt-get install chromium npm`",
        ),
    ],
)
def test_what_cannot_be_installed_is_named_in_one_sentence(bin_dir, monkeypatch, capsys, setup, why, how):
    if setup != "no apt-get":
        apt_get(bin_dir)
    if setup == "sudo asks":
        command(bin_dir, "sudo", "exit 1")
    monkeypatch.setattr(need.os, "geteuid", lambda: 1000)
    assert need.main(["chromium", "npm"]) == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and said.startswith("Chromium (the browser tests) and npm (")
    assert why in said and how in said and said.rstrip().endswith("then run make again.")
    assert logged(bin_dir) == []


def test_a_failing_apt_get_stops_with_its_command_named(bin_dir, monkeypatch, capsys):
    apt_get(bin_dir, fails="install")
    monkeypatch.setattr(need.os, "geteuid", lambda: 0)
    assert need.main(["wrk"]) == 1
    assert "apt-get install -y" in capsys.readouterr().err.splitlines()[-1]


def test_a_tests_sentence_names_the_package():
    assert need.sentence("java") == (
        "Java 17 (the Spark recipe of docs/population.md) is missing: run `make test`, which installs it "
        "(or `apt-get install openjdk-17-jre-headless`)."
    )


def test_every_tool_the_makefile_names_is_known():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lists = dict(re.findall(r"^([A-Z_]+_TOOLS) := (.*)$", makefile, re.MULTILINE))
    named = [*re.findall(r"\$\(NEED\) ([^\n]*)", makefile), *lists.values()]
    words = {word for line in named for word in line.split() if not word.startswith("$(")}
    assert words and words <= set(need.TOOLS)
    assert {"chromium", "npm", "nginx", "java", "podman", "mmdebstrap"} <= set(
        lists["TEST_TOOLS"].split()
    ) | set(lists["CONTAINER_TOOLS"].split())
    assert "$(NEED) $(TEST_TOOLS)" in makefile and "make test" in (ROOT / ".ci/run").read_text(
        encoding="utf-8"
    )
