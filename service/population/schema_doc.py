"""What `population schema` prints: the columns an input file may hold, from the model table."""

from __future__ import annotations

from typing import Any

from schemas.text_values import LIST_SEPARATOR, list_inputs
from service.core import default_model

from .identity import model_identity
from .scorer import REJECT_COLUMNS, SCORES


def input_schema() -> dict[str, Any]:
    """Return every input column (type, bounds, unit, codes, required) and the output's columns."""
    model = default_model()
    lists = list_inputs(model.inputs)
    columns = {}
    for name, row in model.inputs.items():
        column: dict[str, Any] = {
            "type": row["type"],
            "required": bool(row.get("core")),
            "description": row["description"],
        }
        column |= {key: row[key] for key in ("min", "max", "unit") if key in row}
        if name in lists:
            column["codes"] = list(model.symptoms)
            column["csv"] = f"codes separated by '{LIST_SEPARATOR}'"
        elif "values" in row:
            column["codes"] = list(row["values"])
        columns[name] = column
    return {
        "model": model_identity(),
        "inputs": columns,
        "text": "CSV cells are read as the API reads JSON: true, false, 70, 31.5, current; an empty cell is "
        "unknown (a required input) or not provided (a refinement).",
        "outputs": {
            "per_outcome": [name for name, _ in SCORES],
            "outcomes": list(model.outcomes),
            "rejects": ["id", "source_file", "source_row", *REJECT_COLUMNS],
        },
    }
