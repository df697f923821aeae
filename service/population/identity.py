"""What a population output is tied to: the model table and the FHIR mapping, by id, version and sha256."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from service.core import default_model
from service.core.load import MODEL_PATH
from service.fhir.terminology import MAPPING_PATH

FORMAT_VERSION = 1  # of the output folder's layout and its JSON files (bumped when either changes)


@cache
def sha256_of(path: Path) -> str:
    """Return the sha256 of a file the process reads once (the model table, the mapping)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_identity() -> dict[str, str]:
    """Return the model's id, version and table sha256: in every output row and every file's metadata."""
    model = default_model()
    return {"model_id": model.id, "model_version": model.version, "model_sha256": sha256_of(MODEL_PATH)}


def mapping_sha256() -> str:
    return sha256_of(MAPPING_PATH)
