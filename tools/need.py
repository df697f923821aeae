"""Install the system tools a make target needs, from Debian's packages, or say in one sentence why not.

    python3 -m tools.need chromium npm curl nginx java podman runc mmdebstrap

Every make target that runs a system tool (`make test`, `make serve`, `make bench`, `make container`,
`make screenshot`, and so `.ci/run`) names it here: what is missing is installed with apt-get (as root,
or with sudo), and where that cannot be done the command stops with one sentence naming what is
missing and the command that installs it. The tests fail with the same sentence (`sentence`), never
skip. Standard library only: it runs with the system's Python, before the virtual environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    label: str  # what it is, and what needs it
    package: str  # Debian's package
    commands: tuple[str, ...]  # any one of them found on PATH (or in /usr/sbin) will do


TOOLS = {
    "chromium": Tool("Chromium (the browser tests)", "chromium", ("chromium", "chromium-browser")),
    "npm": Tool("npm (it fetches axe-core for the accessibility tests)", "npm", ("npm",)),
    "curl": Tool("curl (the README's commands, which the tests run as written)", "curl", ("curl",)),
    "nginx": Tool("nginx (the front: make serve, the live tests, make bench)", "nginx", ("nginx",)),
    "java": Tool("Java 17 (the Spark recipe of docs/population.md)", "openjdk-17-jre-headless", ("java",)),
    "wrk": Tool("wrk (make bench)", "wrk", ("wrk",)),
    "podman": Tool("podman (make container)", "podman", ("podman",)),
    "runc": Tool("runc (make container's runtime)", "runc", ("runc",)),
    "mmdebstrap": Tool("mmdebstrap (make container's base image)", "mmdebstrap", ("mmdebstrap",)),
    # A user who is not root runs podman and mmdebstrap in user namespaces, with a network of its own.
    "uidmap": Tool("newuidmap (make container, rootless)", "uidmap", ("newuidmap",)),
    "slirp4netns": Tool("slirp4netns (make container, rootless)", "slirp4netns", ("slirp4netns",)),
}
# Debian puts nginx in /usr/sbin, which a user's PATH may lack (the service looks there too).
SBIN = ("/usr/sbin", "/sbin")


def missing(names: list[str], path: str | None = None) -> list[str]:
    """The names whose tool has none of its commands on PATH or in /usr/sbin."""
    search = os.pathsep.join([path if path is not None else os.environ.get("PATH", ""), *SBIN])
    return [name for name in names if not any(shutil.which(c, path=search) for c in TOOLS[name].commands)]


def sentence(name: str) -> str:
    """What a test says when its tool is missing: which, and the two commands that install it."""
    tool = TOOLS[name]
    return (
        f"{tool.label} is missing: run `make test`, which installs it (or `apt-get install {tool.package}`)."
    )


def _listed(names: list[str]) -> str:
    labels = [TOOLS[name].label for name in names]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def installer(euid: int, path: str | None = None, interactive: bool = False) -> list[str] | str:
    """The command prefix that may install packages here, or why there is none."""
    if shutil.which("apt-get", path=path) is None:
        return "this machine has no apt-get"
    if euid == 0:
        return []
    sudo = shutil.which("sudo", path=path)
    if sudo is None:
        return "this user is not root and has no sudo"
    # Without a terminal sudo cannot ask for a password: only a password-less sudo will do.
    if interactive or subprocess.run([sudo, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [sudo]
    return "this user is not root and sudo needs a password no one can type here"


def refusal(names: list[str], why: str) -> str:
    """The one sentence for tools that cannot be installed here."""
    packages = " ".join(TOOLS[name].package for name in names)
    how = (
        f"install the Debian packages {packages} (or your system's equivalents)"
        if why == "this machine has no apt-get"
        else f"run `sudo apt-get install {packages}` as an administrator"
    )
    verb = "is" if len(names) == 1 else "are"
    return (
        f"{_listed(names)} {verb} missing and cannot be installed here ({why}): {how}, then run make again."
    )


def main(names: list[str]) -> int:
    """Install what `names` lack; 0 when all are there, 1 (with the sentence) when some cannot be."""
    unknown = sorted(set(names) - set(TOOLS))
    if unknown:
        raise SystemExit(f"tools.need knows no tool {', '.join(unknown)} (known: {', '.join(TOOLS)})")
    lacking = missing(names)
    if not lacking:
        return 0
    prefix = installer(os.geteuid(), interactive=sys.stdin.isatty())
    if isinstance(prefix, str):
        return _stop(refusal(lacking, prefix))
    packages = [TOOLS[name].package for name in lacking]
    print(f"installing {_listed(lacking)} from Debian's packages: {' '.join(packages)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = ["-qq", "-o", "Dpkg::Use-Pty=0"]
    install = [*prefix, "apt-get", "install", "-y", *quiet, "--no-install-recommends", *packages]
    for command in ([*prefix, "apt-get", "update", *quiet], install):
        if subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL).returncode != 0:
            return _stop(
                f"`{' '.join(command)}` failed (its message is above): fix that, then run make again."
            )
    still = missing(lacking)
    if still:
        return _stop(f"apt-get installed {' '.join(packages)}, yet {_listed(still)} is still not found.")
    return 0


def _stop(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
