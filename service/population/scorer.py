"""Score an Arrow record batch of patients: the same row count back, every row `ok` or `rejected` with a
reason, through the API's own loader (schemas) and the core's scoring. It never raises for a bad row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
import pyarrow as pa
from marshmallow import ValidationError

from schemas import patient_loader
from schemas.problem import validation_errors
from schemas.text_values import cell_value, list_inputs
from service.core import Assessor, default_model

from .adapter import OutcomeScore, outcome_scores
from .identity import model_identity

OK, REJECTED = "ok", "rejected"
# Why a row was rejected: the API's rules refused it; the reader could not read it; it had no id;
# scoring failed unexpectedly (a defect: its type is named, never its message).
INVALID, UNREADABLE, TOO_LONG, MISSING_ID, INTERNAL = (
    "invalid",
    "unreadable",
    "too_long",
    "missing_id",
    "internal",
)
SCORES: tuple[tuple[str, pa.DataType], ...] = tuple(
    (name, pa.int16() if name.startswith("points") else pa.bool_() if name == "determinate" else pa.string())
    for name in OutcomeScore._fields
)
REJECT_COLUMNS = ("reason", "field", "message", "record")  # null on an ok row
RATE_CLASS = "typical_rate_class"  # the kind of operation whose typical published rates apply (or null)
SOURCE_ROW = "source_row"  # an input column the readers add: where the row starts in its source
TEXT_TYPES = (pa.string(), pa.large_string())
Row = dict[str, Any] | tuple[str, str, str]  # per outcome its OutcomeScore and the rate class, or a rejection


def score_columns(outcomes: Iterable[str]) -> list[pa.Field]:
    """Return the per-outcome score columns, `<outcome>_<score>`, in output order."""
    return [pa.field(f"{outcome}_{name}", kind) for outcome in outcomes for name, kind in SCORES]


class PopulationScorer:
    """Score record batches of patients; `id_col` and `keep` columns are carried through unchanged."""

    def __init__(self, id_col: str | None = None, keep: Sequence[str] = ()) -> None:
        self.model = default_model()  # the one the API's loader was built from
        self.assessor = Assessor(self.model)
        self.loader = patient_loader()
        self.lists = list_inputs(self.model.inputs)
        self.id_col = id_col
        self.carried = [name for name in (id_col, *keep) if name is not None]
        self.identity = model_identity()

    def output_schema(self, input_schema: pa.Schema) -> pa.Schema:
        """Return the schema of the batches `__call__` returns for batches of `input_schema`."""
        carried = [input_schema.field(name) for name in self.carried]
        rest = [pa.field("status", pa.string()), *(pa.field(name, pa.string()) for name in REJECT_COLUMNS)]
        identity = [pa.field(name, pa.string()) for name in self.identity]
        scores = [*score_columns(self.model.outcomes), pa.field(RATE_CLASS, pa.string())]
        return pa.schema([*carried, *rest, *scores, *identity], metadata=self.metadata)

    @property
    def metadata(self) -> dict[bytes, bytes]:
        return {key.encode(): value.encode() for key, value in self.identity.items()}

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Score every row of `batch`; return the carried columns, status, reason and scores per row."""
        columns = self.inputs_of(batch)
        ids = batch.column(self.id_col).to_pylist() if self.id_col else None
        rows: list[Row] = []
        for index in range(batch.num_rows):
            if ids is not None and (ids[index] is None or str(ids[index]).strip() == ""):
                rows.append((MISSING_ID, self.id_col or "", "The row has no id."))
                continue
            rows.append(self.score_row({name: values[index] for name, values in columns.items()}))
        return self.assemble(batch, rows)

    def inputs_of(self, batch: pa.RecordBatch) -> dict[str, list[Any]]:
        """Return each model input the batch holds as Python values; text columns read by the text rule."""
        found = {}
        for name in self.model.inputs:
            index = batch.schema.get_field_index(name)
            if index < 0:
                continue
            column = batch.column(index)
            if pa.types.is_dictionary(column.type):
                column = column.dictionary_decode()
            values = column.to_pylist()
            found[name] = read_text(values, name in self.lists) if column.type in TEXT_TYPES else values
        return found

    def score_row(self, body: dict[str, Any]) -> Row:
        """Return the row's scores, or (reason, field, message) when it cannot be scored."""
        try:
            patient = self.loader.fast(body)
            outcomes, rate_class = outcome_scores(
                self.assessor, self.loader.load(body) if patient is None else patient
            )
            return {**outcomes, RATE_CLASS: rate_class}
        except ValidationError as error:
            errors = validation_errors(error)
            message = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in errors.items())
            return INVALID, ",".join(errors), message
        except Exception as error:  # a defect, reported per row: never the run's end, never the value
            return INTERNAL, "", f"unexpected {type(error).__name__} while scoring"

    def assemble(self, batch: pa.RecordBatch, rows: list) -> pa.RecordBatch:
        schema = self.output_schema(batch.schema)
        arrays: dict[str, Any] = {name: batch.column(name) for name in self.carried}
        scored = [isinstance(row, dict) for row in rows]
        arrays["status"] = [OK if ok else REJECTED for ok in scored]
        for position, name in enumerate(REJECT_COLUMNS[:-1]):
            arrays[name] = [None if ok else row[position] for ok, row in zip(scored, rows, strict=True)]
        arrays["record"] = [None if ok else raw_record(batch, i) for i, ok in enumerate(scored)]
        for outcome in self.model.outcomes:
            for position, (name, _) in enumerate(SCORES):
                arrays[f"{outcome}_{name}"] = [
                    row[outcome][position] if ok else None for ok, row in zip(scored, rows, strict=True)
                ]
        arrays[RATE_CLASS] = [row[RATE_CLASS] if ok else None for ok, row in zip(scored, rows, strict=True)]
        for name, value in self.identity.items():
            arrays[name] = pa.array([value] * batch.num_rows, pa.string())
        return pa.RecordBatch.from_arrays(
            [
                pa.array(arrays[f.name], f.type) if isinstance(arrays[f.name], list) else arrays[f.name]
                for f in schema
            ],
            schema=schema,
        )


def read_text(values: list[str | None], listed: bool) -> list[Any]:
    """Read a text column cell by cell with the API's text rule, each distinct spelling once."""
    if listed:  # a list is built per row: rows never share one
        return [cell_value(text, listed) for text in values]
    memo: dict[str | None, Any] = {}
    for text in values:
        if text not in memo:
            memo[text] = cell_value(text)
    return [memo[text] for text in values]


def raw_record(batch: pa.RecordBatch, index: int) -> str:
    """Return a rejected row as given, as JSON (its source row aside)."""
    row = batch.slice(index, 1).to_pylist()[0]
    row.pop(SOURCE_ROW, None)
    return orjson.dumps(row, default=str).decode()
