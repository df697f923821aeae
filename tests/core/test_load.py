"""Reading the table: one cached model per process, and a malformed table refused by name."""

from __future__ import annotations

import pytest
import yaml

from service.core import ModelError, build_model, default_model, load_model
from service.core.load import MODEL_PATH


def test_the_default_model_is_loaded_once():
    assert default_model() is default_model()


def test_a_table_file_loads_to_the_same_model(tmp_path):
    copy = tmp_path / "model.yaml"
    copy.write_text(MODEL_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load_model(copy)
    assert (loaded.id, loaded.version, loaded.tiers) == (
        default_model().id,
        default_model().version,
        default_model().tiers,
    )


@pytest.mark.parametrize("drop", ["outcomes", "tiers", "factors", "linkage", "symptom_review", "warnings"])
def test_a_table_missing_a_section_is_refused_by_name(drop):
    table = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    del table[drop]
    with pytest.raises(ModelError, match=drop):
        build_model(table)


def test_a_table_of_the_wrong_shape_is_a_model_error_not_a_crash():
    with pytest.raises(ModelError, match="malformed"):
        build_model({"factors": "not a list"})
