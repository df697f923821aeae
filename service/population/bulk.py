"""`population extract-fhir`: a FHIR Bulk Data export (`$export` NDJSON, one resource type per file,
`manifest.json` when present) into one row of model inputs per patient, read by the same function
and mapping as `POST /v1/fhir/risk-assessments` (each patient's resources as that patient's Bundle).

Resources are spread over hash buckets on disk by patient first, so memory holds one bucket at a time."""

from __future__ import annotations

import tempfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from schemas import patient_loader
from service.core import default_model
from service.fhir import Bundles, FhirInputError, load_terminology
from service.fhir.elements import reference
from service.fhir.terminology import mismatches

from .bulk_manifest import Export, check_counts, export_files, json_of, lines_of
from .sources import InputError

BUCKETS = 64
PATIENT = "Patient/"


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
            for record in lines_of(path):
                resource = json_of(record.data)
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


def patients(
    buckets: list[Path], on: date, export: Export, bundles: Bundles
) -> Iterator[tuple[str, dict[str, Any] | None, list]]:
    """Yield (patient id, model inputs or None when refused, issues) for every Patient in the export."""
    for path in buckets:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in lines_of(path):
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
                extraction, inputs = bundles.read(bundle, on)
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
    bundles = Bundles(load_terminology(), default_model(), patient_loader())  # as the service reads them
    mismatched = mismatches(bundles.terms, bundles.model)
    if mismatched:  # as the service refuses to start with it
        raise InputError(f"service/fhir/mapping.yaml: {'; '.join(mismatched)}")
    export = Export()
    files = export_files(folder, export)
    with tempfile.TemporaryDirectory(prefix="extract-fhir-") as scratch:
        buckets = bucket(files, Path(scratch), export)
        check_counts(export)
        issues_path = out.with_name(out.name + ".issues.ndjson")
        with open(out, "wb") as rows, open(issues_path, "wb") as issues:
            for patient, inputs, found in patients(buckets, on, export, bundles):
                if inputs is not None:
                    rows.write(orjson.dumps({id_key: patient, **inputs}) + b"\n")
                if found:
                    issues.write(
                        orjson.dumps({id_key: patient, "refused": inputs is None, "issues": found}) + b"\n"
                    )
    return export
