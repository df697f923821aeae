"""The population commands beyond scoring: `synth`, `validate` and `extract-fhir` (on `cli`'s group)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .cli import fail, population
from .sources import InputError


@population.command()
@click.option("--n", "n", required=True, type=click.IntRange(1), help="Patients.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="A .csv or .parquet file.")
@click.option("--seed", required=True, type=int, help="The random seed (the same seed, the same population).")
@click.option(
    "--missing", default=0.0, type=click.FloatRange(0, 1), help="Share of each core input left unknown."
)
@click.option(
    "--miscalibrate", default=1.0, type=float, help="K: the true log-odds per point are K times the model's."
)
def synth(n, out, seed, missing, miscalibrate) -> None:
    """Write a SYNTHETIC population: stated marginals, outcomes from a stated model (see .synthetic.json)."""
    from .synth import synthesise, write

    if Path(out).suffix not in (".csv", ".parquet"):
        fail(f"--out {out}: name a .csv or .parquet file")
    table, description = synthesise(n, seed, missing, miscalibrate)
    write(table, description, Path(out))
    click.echo(f"wrote {n:,} SYNTHETIC patients to {out} (description: {out}.synthetic.json)")


@population.command()
@click.argument("scores", type=click.Path(exists=True))
@click.option(
    "--observed", required=True, type=click.Path(exists=True, dir_okay=False), help="CSV or Parquet."
)
@click.option("--id-col", required=True, help="The patient id column, in both.")
@click.option("--outcome-col", "outcome_cols", required=True, help="pseudarthrosis=COL,hardware_failure=COL")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Report folder.")
@click.option("--by", default="", help="Comma-separated columns for subgroup tables.")
def validate(scores, observed, id_col, outcome_cols, out, by) -> None:
    """Check the scores against observed outcomes: metrics.json and index.html in --out."""
    from .validation_report import validation, write_report

    outcomes = _outcome_cols(outcome_cols)
    try:
        metrics, table = validation(
            Path(scores), Path(observed), id_col, outcomes, [b for b in by.split(",") if b]
        )
    except InputError as error:
        fail(str(error))
    write_report(metrics, table, Path(out))
    for outcome, result in metrics["outcomes"].items():
        auc = result.get("primary", {}).get("auc")
        shown = (
            f"AUC {auc['value']:.3f} ({auc['ci95'][0]:.3f}–{auc['ci95'][1]:.3f})"
            if auc
            else result.get("refused")
        )
        click.echo(
            f"{outcome}: {result['counts']['events']:,} events in {result['counts']['matched']:,}; {shown}"
        )
        for warning in result["warnings"]:
            click.echo(f"WARNING {outcome}: {warning}", err=True)
    click.echo(f"report: {Path(out) / 'index.html'}")
    if all("refused" in result for result in metrics["outcomes"].values()):
        fail("too few events to validate any outcome (see the report)")


def _outcome_cols(text: str) -> dict[str, str]:
    from service.core import default_model

    pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
    known = default_model().outcomes
    if not pairs or any(len(p) != 2 or p[0].strip() not in known or not p[1].strip() for p in pairs):
        fail(f"--outcome-col {text}: write OUTCOME=COLUMN pairs, OUTCOME one of {', '.join(known)}")
    return {name.strip(): column.strip() for name, column in pairs}


@population.command("extract-fhir")
@click.argument("export_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="The features file (.ndjson)."
)
@click.option(
    "--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Assessment date for ages (default today, UTC)."
)
def extract_fhir(export_dir, out, on) -> None:
    """Read a FHIR Bulk Data export into one row of model inputs per patient (the FHIR endpoint's reading)."""
    from datetime import UTC, datetime

    from .bulk import extract_export

    if not out.endswith(".ndjson"):
        fail(f"--out {out}: name a .ndjson file (the features NDJSON `population score` reads)")
    day = (on or datetime.now(UTC)).date()
    try:
        found = extract_export(Path(export_dir), Path(out), day)
    except InputError as error:
        fail(str(error))
    summary = found.summary(day)
    Path(out + ".summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    click.echo(json.dumps(summary, indent=2))
