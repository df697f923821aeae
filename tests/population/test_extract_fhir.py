"""`population extract-fhir`: a Bulk Data export built from the FHIR fixtures (many patients, new ids)
reads, patient by patient, exactly as the FHIR endpoint reads that patient's Bundle."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import orjson
import pyarrow.parquet as pq
import pytest

from service.services import services
from tests.helpers import TEST_KEY, make_app
from tests.helpers.fhir import FIXTURES
from tests.helpers.population import OUTCOMES, run

ON = date(2026, 12, 1)
NAMES = ("complete", "messy", "healthy", "sparse", "ehr-export", "patient-only")
COPIES = 12
KEYED = {"Authorization": f"Bearer {TEST_KEY}"}


def renamed(name: str, copy: int) -> tuple[str, dict]:
    """The fixture's bundle with its Patient (and every reference to it) under a new id."""
    text = (FIXTURES / f"{name}.json").read_text()
    bundle = json.loads(text)
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    old = patient.get("id") or "no-id"
    new = f"{name}-{copy:03d}"
    if "id" not in patient:
        patient["id"] = old
        text = json.dumps(bundle)
    return new, json.loads(text.replace(f'"{old}"', f'"{new}"').replace(f'/{old}"', f'/{new}"'))


def build_export(folder, manifest=True):
    """One NDJSON file per resource type, resources of all the patients interleaved; a manifest."""
    by_type: dict[str, list[bytes]] = defaultdict(list)
    bundles = {}
    for copy in range(COPIES):
        for name in NAMES:
            patient, bundle = renamed(name, copy)
            bundles[patient] = bundle
            for entry in bundle["entry"]:
                by_type[entry["resource"]["resourceType"]].append(orjson.dumps(entry["resource"]))
    folder.mkdir()
    outputs = []
    for kind, lines in sorted(by_type.items()):
        (folder / f"{kind}.ndjson").write_bytes(b"\n".join(lines) + b"\n")
        outputs.append(
            {"type": kind, "url": f"https://ehr.example/export/{kind}.ndjson", "count": len(lines)}
        )
    (folder / "errors.ndjson").write_bytes(
        orjson.dumps(
            {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "error",
                        "code": "processing",
                        "diagnostics": "Observation/77 could not be exported",
                    }
                ],
            }
        )
        + b"\n"
    )
    if manifest:
        errors = [{"type": "OperationOutcome", "url": "https://ehr.example/export/errors.ndjson"}]
        document = {"transactionTime": "2026-12-01T00:00:00Z", "output": outputs, "error": errors}
        (folder / "manifest.json").write_bytes(orjson.dumps(document))
    return bundles


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    bundles = build_export(folder / "export")
    code, output = run("population", "extract-fhir", folder / "export", "--out", folder / "features.ndjson",
                       "--date", ON.isoformat())  # fmt: skip
    assert code == 0, output
    rows = [orjson.loads(line) for line in (folder / "features.ndjson").read_bytes().splitlines()]
    return bundles, {row.pop("patient_id"): row for row in rows}, json.loads(output), folder


def test_every_patient_reads_as_the_fhir_endpoint_reads_their_bundle(extracted):
    bundles, rows, summary, _ = extracted
    endpoint_reads = services(make_app()).bundles.read  # what POST /v1/fhir/risk-assessments reads with
    assert set(rows) == set(bundles) and summary["patients"] == len(bundles) == COPIES * len(NAMES)
    for patient, bundle in bundles.items():
        assert rows[patient] == endpoint_reads(bundle, ON)[1], patient


def test_the_manifest_counts_and_the_exports_errors_are_reported(extracted):
    _, _, summary, folder = extracted
    assert all(entry["declared"] == entry["read"] for entry in summary["files"].values())
    assert summary["export_errors"] == 1 and "could not be exported" in summary["export_error_diagnostics"][0]
    assert summary["not_about_a_patient_in_the_export"]  # messy.json's resource about another patient
    assert json.loads((folder / "features.ndjson.summary.json").read_text()) == summary


def test_the_features_score_as_the_endpoint_assesses_the_bundles(extracted, client, tmp_path):
    """The highest tier the endpoint codes for each outcome is the scored row's tier_max."""
    _, _, _, folder = extracted
    args = ["--out", tmp_path / "s", "--id-col", "patient_id"]
    assert run("population", "score", folder / "features.ndjson", *args)[0] == 0
    rows = {row["patient_id"]: row for row in pq.read_table(tmp_path / "s" / "scores").to_pylist()}
    for name in ("complete", "messy", "ehr-export"):
        patient, bundle = renamed(name, 3)
        response = client.post(f"/v1/fhir/risk-assessments?date={ON.isoformat()}", json=bundle, headers=KEYED)
        assessments = [
            e["resource"]
            for e in response.get_json()["entry"]
            if e["resource"]["resourceType"] == "RiskAssessment"
        ]
        coded = [a["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] for a in assessments]
        assert coded == [rows[patient][f"{o}_tier_max"] for o in OUTCOMES], name


def test_a_broken_export_is_reported_never_a_traceback(tmp_path):
    build_export(tmp_path / "export", manifest=True)
    stranger = {"resourceType": "Observation", "id": "x", "subject": {"reference": "Patient/nobody"}}
    with open(tmp_path / "export" / "Observation.ndjson", "ab") as handle:
        handle.write(b"{not json\n" + orjson.dumps(stranger) + b"\n")
    code, output = run("population", "extract-fhir", tmp_path / "export", "--out", tmp_path / "f.ndjson")
    assert code == 2 and "does not match its manifest" in output and "Traceback" not in output
    (tmp_path / "export" / "manifest.json").unlink()
    code, output = run("population", "extract-fhir", tmp_path / "export", "--out", tmp_path / "f.ndjson")
    summary = json.loads(output)
    assert code == 0 and summary["unreadable"][0].startswith("Observation.ndjson:")
    assert summary["not_about_a_patient_in_the_export"]["Observation"] >= 1


def test_a_mapping_that_disagrees_with_the_model_exits_2(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "service.population.bulk.mismatches", lambda terms, model: ["fusion regions must be regions"]
    )
    build_export(tmp_path / "export")
    code, output = run("population", "extract-fhir", tmp_path / "export", "--out", tmp_path / "f.ndjson")
    assert code == 2 and "mapping.yaml: fusion regions must be regions" in output
