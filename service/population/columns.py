"""Check an input's columns against the model's inputs before any row is read: a missing required or
named column, or a Parquet column of a type the input cannot hold, stops the run (exit 2) naming it."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from service.core import default_model

from .scorer import SOURCE_ROW
from .sources import InputError, Source

_TYPES = {  # which Arrow types each input type accepts (a text column is read by the text rule)
    "boolean": pa.types.is_boolean,
    "integer": lambda t: pa.types.is_integer(t) or pa.types.is_floating(t),
    "number": lambda t: pa.types.is_integer(t) or pa.types.is_floating(t),
    "choice": lambda t: False,
    "symptoms": lambda t: pa.types.is_list(t) and pa.types.is_string(t.value_type),
}
_WORDS = {"boolean": "true or false", "integer": "a whole number", "number": "a number", "choice": "text",
          "symptoms": "a list of codes"}  # fmt: skip


def columns_to_read(source: Source, id_col: str | None, keep: Sequence[str]) -> tuple[str, ...]:
    """Return the columns a chunk of `source` reads: the model inputs it has, the id and the kept ones."""
    model = default_model()
    if source.kind == "ndjson":  # keys are found per row: a missing one is an empty cell
        return tuple(dict.fromkeys([*model.inputs, *(c for c in (id_col, *keep) if c)]))
    named = [("--id-col", id_col)] if id_col else []
    for option, name in [*named, *(("--keep-cols", name) for name in keep)]:
        if name not in source.columns:
            raise InputError(
                f"{source.path}: {option} {name}: no such column (it has {_listed(source.columns)})"
            )
        if name == SOURCE_ROW:
            raise InputError(f"{source.path}: {option} {name}: that name is the output's own column")
    missing = [name for name, row in model.inputs.items() if row.get("core") and name not in source.columns]
    if missing:
        raise InputError(
            f"{source.path}: the required column{'s' if len(missing) > 1 else ''} {_listed(missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing (an unknown value is an empty cell)"
        )
    for name, kind in source.types.items():
        row = model.inputs.get(name)
        if row is not None and not _accepts(row["type"], kind):
            raise InputError(
                f"{source.path}: column {name} is {kind}; the model reads {_WORDS[row['type']]} there"
            )
    present = [name for name in model.inputs if name in source.columns]
    return tuple(dict.fromkeys([*present, *(c for c in (id_col, *keep) if c)]))


def _accepts(input_type: str, kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return (
        pa.types.is_null(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or _TYPES[input_type](kind)
    )


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:20])
    return shown + (f" and {len(names) - 20} more" if len(names) > 20 else "")


def ignored_columns(source: Source, read: Sequence[str]) -> list[str]:
    """The source's columns neither scored nor carried (a registry's other columns: never read)."""
    return [name for name in source.columns if name not in read]
