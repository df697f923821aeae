"""The "score a file" page: an uploaded CSV scored by the population core (the command's reading rules
and the API's loader and scoring), shown as a tier distribution with the scores as CSV. Nothing is
stored: the file, the scores and the CSV live in memory for the request."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from flask import Response

from service.core import Model

from ..http.forms import MAX_UPLOAD_BYTES, UPLOAD_FIELD
from ..http.security import FORM_KEY
from .html import page

if TYPE_CHECKING:
    import pyarrow as pa

MAX_UPLOAD_ROWS = 5_000
BAR_AREA = 300  # SVG user units, as the report's charts (service/pages/chart.py)
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_WIDTH = 90
VALUE_ROOM = 60  # right of the longest bar, for its count
GAP = 6
HALF = 0.5
TEXT_DROP = 0.65  # a row's text baseline, as a share of its height
KIB = 1024
CSV = "text/csv"
SHOWN_REJECTS = 20  # on the page; the CSV has them all


@dataclass(frozen=True)
class Bar:
    tier: str
    rank: int
    count: int
    y: int
    width: float

    @property
    def bar_y(self) -> float:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) * HALF

    @property
    def text_y(self) -> float:
        return self.y + ROW_HEIGHT * TEXT_DROP

    @property
    def label_x(self) -> float:
        return LABEL_WIDTH - GAP

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + GAP


def distribution(table: pa.Table, model: Model) -> dict[str, tuple[Bar, ...]]:
    """Per outcome, one bar per tier: how many of the scored rows reached it."""
    ok = [
        row
        for row in table.select(
            [c for c in table.column_names if c.endswith("_tier") or c == "status"]
        ).to_pylist()
        if row["status"] == "ok"
    ]
    found = {}
    for outcome in model.outcomes:
        counts = Counter(row[f"{outcome}_tier"] for row in ok)
        most = max(counts.values(), default=1)
        found[outcome] = tuple(
            Bar(tier, rank, counts[tier], rank * ROW_HEIGHT, BAR_AREA * counts[tier] / most)
            for rank, (tier, _) in enumerate(model.tiers)
        )
    return found


def upload_page(
    model: Model, keyed: bool, errors: Mapping[str, list[str]] | None = None, status: int = HTTPStatus.OK,
    headers: Mapping[str, str] | None = None, result: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    """The upload form (with its errors), and the result when a file was scored."""
    core = [name for name, row in model.inputs.items() if row.get("core")]
    geometry = {"width": LABEL_WIDTH + BAR_AREA + VALUE_ROOM, "row_height": ROW_HEIGHT}
    return page(
        "score_file.html", status, headers, keyed=keyed, key_field=FORM_KEY, file_field=UPLOAD_FIELD,
        errors=errors or {}, result=result, max_rows=MAX_UPLOAD_ROWS, max_kib=MAX_UPLOAD_BYTES // KIB,
        names=model.outcomes, core=core, title=model.document["title"], bar_height=BAR_HEIGHT,
        label_width=LABEL_WIDTH, **geometry,
    )  # fmt: skip


def scored_upload(model: Model, keyed: bool, data: bytes, wanted: str | None) -> Response:
    """Score the file: the CSV itself when `wanted` is csv, else the page with the distribution."""
    # The population core (and pyarrow, ~0.25 s and ~45 MB) is imported by the first upload a worker
    # scores, never by the app's start: most workers never score a file.
    from service.population.csv_output import scores_csv
    from service.population.memory import score_csv_bytes
    from service.population.sources import InputError

    try:
        table = score_csv_bytes(data, MAX_UPLOAD_ROWS, "The file")
    except InputError as error:
        return upload_page(model, keyed, {UPLOAD_FIELD: [str(error)]}, HTTPStatus.UNPROCESSABLE_ENTITY)
    text = scores_csv(table)
    if wanted == "csv":
        return Response(
            text, mimetype=CSV, headers={"Content-Disposition": 'attachment; filename="scores.csv"'}
        )
    statuses = Counter(table.column("status").to_pylist())
    rejects = [row for row in table.select(["line", "reason", "message"]).to_pylist() if row["reason"]]
    result = {
        "rows": table.num_rows,
        "ok": statuses["ok"],
        "rejected": statuses["rejected"],
        "bars": distribution(table, model),
        "csv": f"data:{CSV};base64,{base64.b64encode(text).decode()}",
        "rejects": rejects[:SHOWN_REJECTS],
    }
    return upload_page(model, keyed, result=result)
