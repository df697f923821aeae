"""`population validate`'s outputs: `metrics.json` (a versioned schema) and a self-contained `index.html`
(Jinja2, its own CSS, plots embedded: nothing is fetched from outside the file)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .identity import model_identity
from .observed import events_of, joined, read_observed, read_scores
from .plots import rate_by_tier, roc
from .sources import InputError
from .validate import METRICS_SCHEMA, METRICS_VERSION, analyse

TEMPLATES = Path(__file__).with_name("templates")
NOT_COMPUTED = [
    "No probability, calibration-in-the-large or calibration slope: the model gives relative odds per tier, "
    "not probabilities. A recalibration would be model updating, not validation.",
]


def validation(
    scores: Path, observed: Path, id_col: str, outcomes: dict[str, str], by: list[str]
) -> tuple[dict, pa.Table]:
    """Join the observed outcomes to the scores and analyse every outcome named; return the metrics."""
    table, run = read_scores(scores)
    observed_table = read_observed(observed)
    for name in by:
        if name not in table.column_names and name not in observed_table.column_names:
            raise InputError(f"--by {name}: no such column in the scores or the observed file")
    wanted = list(dict.fromkeys([*outcomes.values(), *(n for n in by if n in observed_table.column_names)]))
    table = joined(table, observed_table, id_col, wanted)
    models = {tuple(row.values()) for row in table.select(list(model_identity())).to_pylist()}
    if len(models) != 1:
        raise InputError(f"{scores}: the scores come from more than one model version: {sorted(models)}")
    rows_in = run.get("_summary.json", {}).get("rows_in", table.num_rows)
    metrics = {
        "schema": METRICS_SCHEMA,
        "schema_version": METRICS_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "synthetic": _synthetic(observed_table),
        "model": dict(zip(model_identity(), models.pop(), strict=True)),
        "run": {
            "scores": str(scores),
            "observed": str(observed),
            "id_col": id_col,
            "outcome_cols": outcomes,
            "by": by,
            "score_run": {k: run["_manifest.json"].get(k) for k in ("rows", "options", "inputs")}
            if "_manifest.json" in run
            else None,
        },
        "outcomes": {
            o: analyse(table, o, events_of(table.column(c), f"{o}={c}"), by, rows_in)
            for o, c in outcomes.items()
        },
        "not_computed": NOT_COMPUTED,
    }
    return metrics, table


def _synthetic(observed: pa.Table) -> bool:
    labelled = (observed.schema.metadata or {}).get(b"synthetic") == b"true"
    column = "synthetic" in observed.column_names and all(
        str(v).lower() == "true" for v in observed.column("synthetic").to_pylist()
    )
    return labelled or column


def write_report(metrics: dict[str, Any], table: pa.Table, out: Path) -> None:
    """Write metrics.json and index.html (with its plots) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    plots = {}
    for outcome, result in metrics["outcomes"].items():
        primary = result.get("primary", {})
        if "auc" in primary:
            column = metrics["run"]["outcome_cols"][outcome]
            events = events_of(table.column(column), outcome)
            rows = [
                i
                for i, (s, d, e) in enumerate(
                    zip(
                        table.column("status").to_pylist(),
                        table.column(f"{outcome}_determinate").to_pylist(),
                        events,
                        strict=True,
                    )
                )
                if s == "ok" and d and e is not None
            ]
            points = np.array(table.column(f"{outcome}_points").take(rows).to_pylist(), dtype=float)
            y = np.array([events[i] for i in rows])
            plots[outcome] = {
                "tiers": rate_by_tier(primary["tiers"], outcome.replace("_", " ")),
                "roc": roc(points, y, primary["auc"]["value"]),
            }
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    page = environment.get_template("report.html").render(metrics=metrics, plots=plots, css=css)
    (out / "index.html").write_text(page, encoding="utf-8")
