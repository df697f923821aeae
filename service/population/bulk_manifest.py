"""A Bulk Data export's own account of itself: its manifest (files, declared counts, error files) and
what reading it found beyond the patients' rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from service.fhir.elements import obj

from .records import records
from .sources import InputError

SHOWN = 20  # problems listed by name in the summary; all are counted


@dataclass
class Export:
    """What reading the export found, beyond the patients' rows."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # file -> type, declared and read counts
    errors: list[str] = field(default_factory=list)  # the export's own OperationOutcome diagnostics
    unreadable: list[str] = field(default_factory=list)  # file:line why
    not_about_a_patient: Counter[str] = field(default_factory=Counter)  # resource type -> count
    patients: int = 0
    extracted: int = 0
    refused: int = 0

    def summary(self, on: date) -> dict[str, Any]:
        """What the command prints and writes beside the features file."""
        return {
            "date": on.isoformat(),
            "patients": self.patients,
            "extracted": self.extracted,
            "refused": self.refused,
            "files": self.files,
            "unreadable_lines": len(self.unreadable),
            "unreadable": self.unreadable[:SHOWN],
            "not_about_a_patient_in_the_export": dict(self.not_about_a_patient),
            "export_errors": len(self.errors),
            "export_error_diagnostics": self.errors[:SHOWN],
        }


def export_files(folder: Path, export: Export) -> list[Path]:
    """Return the NDJSON files to read: the manifest's `output` (counts checked later) and its `error`
    files read now, or every .ndjson file of the folder."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return sorted(folder.glob("*.ndjson"))
    try:
        document = orjson.loads(manifest.read_bytes())
        outputs = [
            (obj(o).get("type"), Path(str(obj(o)["url"])).name, obj(o).get("count"))
            for o in document["output"]
        ]
        errors = [Path(str(obj(o)["url"])).name for o in document.get("error") or ()]
    except (orjson.JSONDecodeError, KeyError, TypeError) as error:
        raise InputError(f"{manifest}: not a Bulk Data manifest ({error!r})") from None
    for name in errors:
        export.errors += _diagnostics(folder / name)
    for kind, name, count in outputs:
        if not (folder / name).is_file():
            raise InputError(f"{manifest}: its output {name} is missing from {folder}")
        export.files[name] = {"type": kind, "declared": count, "read": 0}
    return [folder / name for _, name, _ in outputs]


def _diagnostics(path: Path) -> list[str]:
    found = []
    for record in lines_of(path):
        outcome = obj(json_of(record.data))
        for issue in outcome.get("issue") or ():
            found.append(str(obj(issue).get("diagnostics") or obj(issue).get("code") or "an error")[:300])
    return found


def lines_of(path: Path):
    with open(path, "rb") as handle:
        yield from records(handle, quoted=False)


def json_of(data: bytes | None) -> Any:
    try:
        return orjson.loads(data) if data is not None else None
    except orjson.JSONDecodeError:
        return None


def check_counts(export: Export) -> None:
    """Refuse an export whose files hold other counts than its manifest declares."""
    wrong = [f"{name}: {e['declared']} declared, {e['read']} read" for name, e in export.files.items()
             if e["declared"] is not None and e["declared"] != e["read"]]  # fmt: skip
    if wrong:
        raise InputError(f"the export does not match its manifest: {'; '.join(wrong[:SHOWN])}")
