"""`population synth`: a synthetic population with stated marginals and outcomes drawn from a stated
model, labelled synthetic everywhere (ids, a column, the file's metadata and a sidecar description)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from schemas import patient_loader
from service.core import Assessor, default_model

from .adapter import outcome_scores

# The stated population (synthetic, not clinical data): each core input drawn independently.
MARGINALS: dict[str, Any] = {
    "age": {"normal": {"mean": 63, "sd": 11}, "clipped": [18, 90]},
    "smoking": {"never": 0.55, "former": 0.30, "current": 0.15},
    "osteoporosis": 0.15,
    "diabetes": 0.20,
    "obesity": 0.35,
    "levels_fused": {"1 + geometric": 0.45, "clipped": [1, 24]},
    "region": {"lumbar": 0.70, "cervical": 0.15, "thoracolumbar": 0.10, "thoracic": 0.05},
    "approach": {
        "cervical": {"anterior": 0.85, "posterior": 0.15},
        "other": {"posterior": 0.85, "combined": 0.15},
    },
    "fusion_to_sacrum_or_pelvis": {"not cervical": 0.30},
    "three_column_osteotomy": 0.03,
}
# The stated outcome model: logit P(event) = logit(rate at 0 points) + K x the table's log-odds per
# point x the patient's points (complete inputs, before any are hidden); K = 1 is the model's own claim.
ZERO_POINT_RATE = {"pseudarthrosis": 0.04, "hardware_failure": 0.03}
ID_PREFIX = "SYN-"


def synthesise(
    n: int, seed: int, missing: float = 0.0, miscalibrate: float = 1.0
) -> tuple[pa.Table, dict[str, Any]]:
    """Return the population (inputs, outcomes, true probabilities) and its description."""
    rng = np.random.default_rng(seed)
    model = default_model()
    people = _inputs(rng, n)
    per_point = model.document["method"]["log_odds_per_point"] * miscalibrate
    loader, assessor = patient_loader(), Assessor(model)
    points = {outcome: np.zeros(n) for outcome in model.outcomes}
    for index, person in enumerate(people):
        for outcome, scored in outcome_scores(assessor, loader.load(person))[0].items():
            points[outcome][index] = scored.points
    columns: dict[str, Any] = {
        "patient_id": [f"{ID_PREFIX}{i + 1:07d}" for i in range(n)],
        "synthetic": [True] * n,
    }
    for name in people[0]:
        hidden = rng.random(n) < missing if model.inputs[name].get("core") else np.zeros(n, bool)
        columns[name] = [None if hide else person[name] for hide, person in zip(hidden, people, strict=True)]
    for outcome, rate in ZERO_POINT_RATE.items():
        truth = 1 / (1 + np.exp(-(math.log(rate / (1 - rate)) + per_point * points[outcome])))
        columns[outcome] = (rng.random(n) < truth).astype(np.int8)
        columns[f"true_probability_{outcome}"] = truth
    description = {
        "synthetic": True,
        "seed": seed,
        "rows": n,
        "marginals": MARGINALS,
        "missing": {"share_of_each_core_input": missing},
        "outcome_model": {
            "logit": "logit(zero_point_rate) + K * log_odds_per_point * points",
            "zero_point_rate": ZERO_POINT_RATE,
            "log_odds_per_point": model.document["method"]["log_odds_per_point"],
            "K": miscalibrate,
            "points": "the model's points from the complete inputs (before any are hidden)",
        },
    }
    return pa.table(columns), description


def _inputs(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    ages = np.clip(np.rint(rng.normal(63, 11, n)), 18, 90).astype(int)
    smoking = rng.choice(list(MARGINALS["smoking"]), n, p=list(MARGINALS["smoking"].values()))
    levels = np.clip(rng.geometric(MARGINALS["levels_fused"]["1 + geometric"], n), 1, 24)
    regions = rng.choice(list(MARGINALS["region"]), n, p=list(MARGINALS["region"].values()))
    flags = {name: rng.random(n) < MARGINALS[name] for name in ("osteoporosis", "diabetes", "obesity")}
    approach = MARGINALS["approach"]
    anterior = rng.choice(list(approach["cervical"]), n, p=list(approach["cervical"].values()))
    posterior = rng.choice(list(approach["other"]), n, p=list(approach["other"].values()))
    to_pelvis = rng.random(n) < MARGINALS["fusion_to_sacrum_or_pelvis"]["not cervical"]
    osteotomy = rng.random(n) < MARGINALS["three_column_osteotomy"]
    return [
        {
            "age": int(ages[i]),
            "smoking": str(smoking[i]),
            **{name: bool(values[i]) for name, values in flags.items()},
            "levels_fused": int(levels[i]),
            "region": str(regions[i]),
            "approach": str(anterior[i] if regions[i] == "cervical" else posterior[i]),
            "fusion_to_sacrum_or_pelvis": bool(to_pelvis[i] and regions[i] != "cervical"),
            "three_column_osteotomy": bool(osteotomy[i]),
        }
        for i in range(n)
    ]


def write(table: pa.Table, description: dict[str, Any], out: Path) -> None:
    """Write the population (CSV or Parquet, by the name) and its description beside it."""
    labelled = table.replace_schema_metadata({"synthetic": "true", "description": json.dumps(description)})
    if out.suffix == ".csv":
        pcsv.write_csv(labelled, out)
    else:
        pq.write_table(labelled, out, compression="zstd")
    out.with_name(out.name + ".synthetic.json").write_text(
        json.dumps(description, indent=2) + "\n", encoding="utf-8"
    )
