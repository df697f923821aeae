"""The README's population example: the commands run for real on a small synthetic population, in a
temporary folder, with what they print (`make docs`; a test keeps the block fresh)."""

from __future__ import annotations

import os
import tempfile

from click.testing import CliRunner

from service.core import Model

COMMANDS = [
    "population synth --n 2000 --seed 1 --missing 0.1 --out synthetic.csv",
    "population score synthetic.csv --out scores --id-col patient_id --workers 1",
    "population validate scores --observed synthetic.csv --id-col patient_id "
    "--outcome-col pseudarthrosis=pseudarthrosis,hardware_failure=hardware_failure --out report",
]


def population_example(model: Model) -> list[str]:
    """Run each command in a scratch folder; return them with their standard output."""
    from service.population.cli import main

    lines = ["```console"]
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="readme-population-") as scratch:
        os.chdir(scratch)
        try:
            for command in COMMANDS:
                result = CliRunner().invoke(main, command.split(), catch_exceptions=False)
                lines += [f"$ .venv/bin/spinal-fusion-risk {command}", result.stdout.rstrip()]
        finally:
            os.chdir(previous)
    return [*lines, "```"]
