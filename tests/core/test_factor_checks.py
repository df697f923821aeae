"""Factor shapes checked at load: bands and their regional levels, an osteotomy's rods (model 1.2)."""

from __future__ import annotations

import pytest

from tests.core.conftest import refuses, table_factor


def _level(table, factor_id, level_id):
    return next(lv for lv in table_factor(table, factor_id)["levels"] if lv["id"] == level_id)


REFUSALS = {
    "bands out of order": (
        lambda t: _level(t, "levels_fused", "eight_or_more").update(min=4),
        "bands need a strictly ascending min",
    ),
    "a regional level that is also a band": (
        lambda t: _level(t, "age", "cervical_from_65").update(min=90),
        "by_region must lead to levels without a min",
    ),
    "a region that is not a region": (
        lambda t: table_factor(t, "age")["by_region"].update(sacral={"from_65": "cervical_from_65"}),
        "by_region must name regions",
    ),
    "a region moving a level that is no band": (
        lambda t: table_factor(t, "age")["by_region"]["cervical"].update(nobody="cervical_from_65"),
        "by_region must move bands",
    ),
    "a level reached neither by a band nor a region": (
        lambda t: table_factor(t, "age")["by_region"]["cervical"].pop("from_55_to_64"),
        "every level needs a min or a region leading to it",
    ),
    "rods leading to no level": (
        lambda t: table_factor(t, "three_column_osteotomy")["rods"]["levels"].update(three_or_more="gone"),
        "rods must lead from its values to levels of the factor",
    ),
    "rods without a basis for a count": (
        lambda t: table_factor(t, "three_column_osteotomy")["rods"]["basis"].pop("two"),
        "a basis for each of its values",
    ),
    "rods reading an undeclared input": (
        lambda t: table_factor(t, "three_column_osteotomy")["rods"].update(input="rod_count"),
        "rods must name a declared input",
    ),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_misshapen_factor_refuses_to_load(table, case):
    breakage, message = REFUSALS[case]
    refuses(table, breakage, message)


def test_the_regional_levels_are_looked_up_beside_the_bands(model):
    age = model.factor("age")
    assert [level.id for level in age.descending] == ["from_65", "from_55_to_64", "under_55"]
    assert {age.levels[target].min for target in age.params["by_region"]["cervical"].values()} == {None}
