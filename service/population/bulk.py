"""`population extract-fhir`: a FHIR Bulk Data export (`$export` NDJSON, one resource type per file,
`manifest.json` when present) into one row of model inputs per patient, read by the same function
and mapping as `POST /v1/fhir/risk-assessments` (each patient's resources as that patient's Bundle).

Resources are spread over hash buckets on disk by patient first, so memory holds one bucket at a time."""

from __future__ import annotations

import tempfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from schemas import patient_loader
from service.fhir import FhirInputError, read_bundle
from service.fhir.elements import obj, reference

from .records import records
from .sources import InputError

BUCKETS = 64
PATIENT = "Patient/"
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
    for record in _lines(path):
        outcome = obj(_json(record.data))
        for issue in outcome.get("issue") or ():
            found.append(str(obj(issue).get("diagnostics") or obj(issue).get("code") or "an error")[:300])
    return found


def _lines(path: Path) -> Iterator[Any]:
    with open(path, "rb") as handle:
        yield from records(handle, quoted=False)


def _json(data: bytes | None) -> Any:
    try:
        return orjson.loads(data) if data is not None else None
    except orjson.JSONDecodeError:
        return None


def patient_of(resource: dict[str, Any]) -> str | None:
    """Return the id of the Patient a resource is about (a Patient: its own id), else None."""
    if resource.get("resourceType") == "Patient":
        return str(resource.get("id")) if resource.get("id") else None
    target = reference(resource.get("subject")) or reference(resource.get("patient"))
    if target is None or PATIENT not in target:
        return None
    return target.rsplit(PATIENT, 1)[1] or None


def bucket(files: list[Path], scratch: Path, export: Export) -> list[Path]:
    """Spread every resource over BUCKETS files by its patient; record what could not be read."""
    handles = [open(scratch / f"bucket-{n:03d}.ndjson", "wb") for n in range(BUCKETS)]  # noqa: SIM115
    try:
        for path in files:
            entry = export.files.setdefault(path.name, {"type": None, "declared": None, "read": 0})
            for record in _lines(path):
                resource = _json(record.data)
                where = f"{path.name}:{record.line}"
                if type(resource) is not dict or not isinstance(resource.get("resourceType"), str):
                    export.unreadable.append(
                        f"{where} is not a JSON resource" if record.data else f"{where} is too long"
                    )
                    continue
                entry["read"] += 1
                patient = patient_of(resource)
                if patient is None:
                    export.not_about_a_patient[resource["resourceType"]] += 1
                    continue
                handles[zlib.crc32(patient.encode()) % BUCKETS].write(
                    orjson.dumps([patient, resource]) + b"\n"
                )
    finally:
        for handle in handles:
            handle.close()
    return [Path(h.name) for h in handles]


def check_counts(export: Export) -> None:
    """Refuse an export whose files hold other counts than its manifest declares."""
    wrong = [f"{name}: {e['declared']} declared, {e['read']} read" for name, e in export.files.items()
             if e["declared"] is not None and e["declared"] != e["read"]]  # fmt: skip
    if wrong:
        raise InputError(f"the export does not match its manifest: {'; '.join(wrong[:SHOWN])}")


def patients(
    buckets: list[Path], on: date, export: Export
) -> Iterator[tuple[str, dict[str, Any] | None, list]]:
    """Yield (patient id, model inputs or None when refused, issues) for every Patient in the export."""
    loader = patient_loader()
    for path in buckets:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in _lines(path):
            patient, resource = orjson.loads(record.data or b"[]")
            grouped[patient].append(resource)
        for patient, resources in sorted(grouped.items()):
            own = [r for r in resources if r.get("resourceType") == "Patient"]
            if not own:
                for resource in resources:
                    export.not_about_a_patient[resource["resourceType"]] += 1
                continue
            export.patients += 1
            entries = [
                {"resource": r} for r in own + [r for r in resources if r.get("resourceType") != "Patient"]
            ]
            bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
            try:
                extraction, inputs = read_bundle(bundle, on, loader)
            except FhirInputError as error:
                export.refused += 1
                yield patient, None, error.issues
                continue
            export.extracted += 1
            yield patient, inputs, extraction.issues


def extract_export(folder: Path, out: Path, on: date, id_key: str = "patient_id") -> Export:
    """Write one features row per patient to `out` (NDJSON) and their issues beside it; return the counts."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder (a Bulk Data export is a folder of NDJSON files)")
    export = Export()
    files = export_files(folder, export)
    with tempfile.TemporaryDirectory(prefix="extract-fhir-") as scratch:
        buckets = bucket(files, Path(scratch), export)
        check_counts(export)
        issues_path = out.with_name(out.name + ".issues.ndjson")
        with open(out, "wb") as rows, open(issues_path, "wb") as issues:
            for patient, inputs, found in patients(buckets, on, export):
                if inputs is not None:
                    rows.write(orjson.dumps({id_key: patient, **inputs}) + b"\n")
                if found:
                    issues.write(
                        orjson.dumps({id_key: patient, "refused": inputs is None, "issues": found}) + b"\n"
                    )
    return export
