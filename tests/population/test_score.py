"""`population score`: CSV, Parquet and NDJSON in; parts, markers, manifest and summary out; counts add up."""

from __future__ import annotations

import json

import orjson
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from service.population.scorer import PopulationScorer
from tests.helpers.population import inputs_only, population, rejects, run, scores


@pytest.fixture(scope="module")
def people():
    return inputs_only(population(1200))


@pytest.fixture(scope="module")
def files(tmp_path_factory, people):
    folder = tmp_path_factory.mktemp("inputs")
    pcsv.write_csv(people, folder / "people.csv")
    pq.write_table(people, folder / "people.parquet", row_group_size=300)
    (folder / "parts").mkdir()
    for index, start in enumerate(range(0, people.num_rows, 400)):
        pq.write_table(people.slice(start, 400), folder / "parts" / f"p{index}.parquet")
    with open(folder / "people.ndjson", "wb") as handle:
        for row in people.to_pylist():
            handle.write(orjson.dumps({k: v for k, v in row.items() if v is not None}) + b"\n")
    return folder


def test_a_csv_is_scored_as_the_core_scores_it_and_every_count_adds_up(files, people, tmp_path):
    args = ["--id-col", "patient_id", "--chunk-rows", "250", "--workers", "1", "--progress", "none"]
    code, output = run("population", "score", files / "people.csv", "--out", tmp_path / "o", *args)
    assert code == 0, output
    direct = PopulationScorer("patient_id")(people.to_batches(max_chunksize=10_000)[0]).to_pylist()
    written = scores(tmp_path / "o")
    assert len(written) == people.num_rows
    assert [{k: row[k] for k in written[0]} for row in direct] == written
    manifest = json.loads((tmp_path / "o" / "_manifest.json").read_text())
    summary = json.loads((tmp_path / "o" / "_summary.json").read_text())
    assert [c["rows"] for c in manifest["chunks"]] == [250, 250, 250, 250, 200]
    assert len(list((tmp_path / "o" / "_done").glob("chunk-*.json"))) == 5
    assert summary["rows_in"] == summary["ok"] + summary["rejected"] == people.num_rows
    assert all(sum(tiers.values()) == summary["ok"] for tiers in summary["tiers"].values())
    assert pq.read_metadata(next((tmp_path / "o" / "scores").glob("*.parquet"))).metadata[b"model_sha256"]


@pytest.mark.parametrize("given", ["people.parquet", "parts", "parts/*.parquet", "people.ndjson"])
def test_parquet_files_folders_globs_and_ndjson_score_as_the_csv_does(files, tmp_path, given):
    run("population", "score", files / "people.csv", "--out", tmp_path / "csv", "--id-col", "patient_id")
    args = ["--id-col", "patient_id", "--chunk-rows", "500"]
    code, output = run("population", "score", str(files / given), "--out", tmp_path / "other", *args)
    assert code == 0, output
    columns = [
        "patient_id",
        "status",
        "pseudarthrosis_points",
        "hardware_failure_tier_max",
        "hardware_failure_points_max",
    ]
    assert scores(tmp_path / "other", columns) == scores(tmp_path / "csv", columns)


@pytest.mark.slow  # worker processes
def test_two_workers_write_what_one_writes(files, tmp_path):
    for workers in ("1", "2"):
        args = ["--id-col", "patient_id", "--chunk-rows", "300", "--workers", workers]
        code, output = run("population", "score", files / "people.csv", "--out", tmp_path / workers, *args)
        assert code == 0, output
    assert scores(tmp_path / "2") == scores(tmp_path / "1")


def test_a_non_empty_folder_is_refused_unless_resumed_or_overwritten(files, tmp_path):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "mine.txt").write_text("keep me")
    code, output = run("population", "score", files / "people.csv", "--out", tmp_path / "o")
    assert code == 2 and "not empty" in output and (tmp_path / "o" / "mine.txt").exists()
    code, _ = run("population", "score", files / "people.csv", "--out", tmp_path / "o", "--overwrite")
    assert code == 0 and not (tmp_path / "o" / "mine.txt").exists()


@pytest.mark.slow  # three whole runs
def test_a_resumed_run_redoes_only_unfinished_chunks_and_equals_a_clean_run(files, tmp_path):
    args = ["population", "score", files / "people.csv", "--id-col", "patient_id", "--chunk-rows", "200"]
    run(*args, "--out", tmp_path / "clean")
    run(*args, "--out", tmp_path / "cut")
    cut = tmp_path / "cut"
    for number in (2, 5):  # as if interrupted: markers missing, a part half-written, a stray temporary
        (cut / "_done" / f"chunk-00000{number}.json").unlink()
    (cut / "scores" / "part-000005.parquet").write_bytes(b"half")
    (cut / "scores" / ".part-000006.parquet.tmp").write_bytes(b"half")
    (cut / "_summary.json").unlink()
    before = (cut / "scores" / "part-000001.parquet").stat().st_mtime_ns
    code, output = run(*args, "--out", cut, "--resume")
    assert code == 0, output
    assert (cut / "scores" / "part-000001.parquet").stat().st_mtime_ns == before  # done: not redone
    assert scores(cut) == scores(tmp_path / "clean")
    assert not list(cut.rglob("*.tmp"))


def test_resume_refuses_a_changed_input_or_options(files, tmp_path):
    source = tmp_path / "people.csv"
    source.write_bytes((files / "people.csv").read_bytes())
    run("population", "score", source, "--out", tmp_path / "o", "--chunk-rows", "400")
    code, output = run(
        "population", "score", source, "--out", tmp_path / "o", "--chunk-rows", "300", "--resume"
    )
    assert code == 2 and "the options changed" in output
    source.write_bytes(source.read_bytes() + b"\n")
    code, output = run(
        "population", "score", source, "--out", tmp_path / "o", "--chunk-rows", "400", "--resume"
    )
    assert code == 2 and "the input changed" in output


def test_limit_and_dry_run(files, tmp_path):
    code, output = run("population", "score", files / "people.csv", "--out", tmp_path / "dry", "--dry-run")
    assert code == 0 and '"rows": 1200' in output and not (tmp_path / "dry").exists()
    code, _ = run("population", "score", files / "people.csv", "--out", tmp_path / "o", "--limit", "333")
    assert code == 0 and len(scores(tmp_path / "o")) == 333


def test_a_reject_rate_above_the_limit_exits_3_with_the_outputs_complete(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(
        "age,smoking,osteoporosis,diabetes,levels_fused,obesity\n70,current,,,2,\n17,never,,,2,\n"
    )
    code, output = run("population", "score", source, "--out", tmp_path / "o", "--max-reject-rate", "0.2")
    assert code == 3 and "50.00% of rows rejected" in output
    assert json.loads((tmp_path / "o" / "_summary.json").read_text())["rejected"] == 1
    assert [r["source_row"] for r in rejects(tmp_path / "o")] == [3]
