"""The engine recipes of docs/population.md, run as written (Spark `local[2]`, Dask `LocalCluster`): each
gives results identical to `population score` on the same Parquet file."""

from __future__ import annotations

import re
import shutil

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.helpers import ROOT
from tests.helpers.population import inputs_only, population, run

pytestmark = pytest.mark.live  # a JVM and a Dask cluster: `make test-fast` leaves them out
ID = "patient_id"
DOC = ROOT / "docs" / "population.md"
JAVA = "Java 17 is missing: install openjdk-17-jre-headless (.ci/run installs it) to run the Spark recipe."


def recipe(name: str) -> str:
    """The docs' Python block that opens with `# recipe: NAME`."""
    blocks = re.findall(r"```python\n(# recipe: (\w+)\n.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    found = [code for code, tag in blocks if tag == name]
    assert len(found) == 1, f"docs/population.md has {len(found)} `{name}` recipes"
    return found[0]


@pytest.fixture(scope="module")
def command(tmp_path_factory):
    """The patients as Parquet, and what `population score` writes for them."""
    folder = tmp_path_factory.mktemp("engines")
    table = inputs_only(population(3_000, seed=31, missing=0.2))
    ages, smoking = table.column("age").to_pylist(), table.column("smoking").to_pylist()
    ages[0], smoking[1] = 17, "sometimes"  # two rows the API's rules reject
    table = table.set_column(table.schema.get_field_index("age"), "age", pa.array(ages, pa.int64()))
    table = table.set_column(table.schema.get_field_index("smoking"), "smoking", pa.array(smoking))
    pq.write_table(table, folder / "in.parquet", row_group_size=700)
    code, output = run("population", "score", folder / "in.parquet", "--out", folder / "out", "--id-col", ID)
    assert code == 0, output
    return folder, rows(ds.dataset(folder / "out" / "scores"))


def rows(dataset) -> list[dict]:
    table = dataset.to_table()
    columns = sorted(n for n in table.column_names if n not in ("record", "field", "message"))
    return sorted(table.select(columns).to_pylist(), key=lambda row: row["patient_id"])


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
def test_the_spark_recipe_gives_the_commands_results(command):
    if shutil.which("java") is None:
        pytest.fail(JAVA)
    folder, expected = command
    output = folder / "spark"
    exec(recipe("spark"), {"INPUT": str(folder / "in.parquet"), "OUTPUT": str(output), "ID_COL": ID})
    assert {p.name for p in output.iterdir() if p.is_dir()} == {"status=ok", "status=rejected"}
    assert rows(ds.dataset(output, format="parquet", partitioning="hive")) == expected


def test_the_dask_recipe_gives_the_commands_results(command):
    folder, expected = command
    output = folder / "dask"
    exec(recipe("dask"), {"INPUT": str(folder / "in.parquet"), "OUTPUT": str(output), "ID_COL": ID})
    assert rows(ds.dataset(output, format="parquet")) == expected
