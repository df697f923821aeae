"""The typical published rates' load-time checks: each rule, broken in a copy of the table, refuses
it (model 1.2, section 10)."""

from __future__ import annotations

import pytest

from tests.core.conftest import refuses


def _rates(table):
    return table["typical_rates"]


def _rate(table, class_id, outcome, index=0):
    return [r for r in _rates(table)["rates"] if class_id in r["classes"] and r["outcome"] == outcome][index]


def _class(table, class_id):
    return next(c for c in _rates(table)["classes"] if c["id"] == class_id)


REFUSALS = {
    "a rate of an unknown class": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(classes=["acdf_9"]),
        "unknown class or outcome",
    ),
    "a rate of an unknown outcome": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(outcome="infection"),
        "unknown class or outcome",
    ),
    "a low that is not a whole number": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(low=2.9),
        "low and high must be whole numbers",
    ),
    "a low above the high": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(low=11),
        r"needs 0 <= low <= high <= 100",
    ),
    "a high above 100": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(high=101),
        r"needs 0 <= low <= high <= 100",
    ),
    "a negative low": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(low=-1),
        r"needs 0 <= low <= high <= 100",
    ),
    "a range that is not the counted estimates'": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").update(low=2),
        "must be the counted estimates' 3 and 10",
    ),
    "a counted estimate not verified, left in the range": (
        lambda t: _rate(t, "lumbar_1_2", "hardware_failure")["estimates"][1].pop("not_counted"),
        "must be the counted estimates' 13 and 15",
    ),
    "a shown rate without a definition": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").pop("definition"),
        "a shown rate needs a definition and a horizon",
    ),
    "a shown rate without a horizon": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis").pop("horizon"),
        "a shown rate needs a definition and a horizon",
    ),
    "an estimate of an unknown study": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis")["estimates"][0].update(reference="nobody-2099"),
        "'nobody-2099': needs an identified reference",
    ),
    "a study without an identifier": (
        lambda t: [
            r.pop(key, None) for r in t["references"] if r["id"] == "fraser-2007" for key in ("pmid", "doi")
        ],
        "'fraser-2007': needs an identified reference",
    ),
    "an estimate out of 0–100": (
        lambda t: _rate(t, "acdf_1", "pseudarthrosis")["estimates"][0].update(per_100=120),
        "needs per_100 between 0 and 100",
    ),
    "a range shown with nothing counted": (
        lambda t: _rate(t, "lumbar_1_2", "pseudarthrosis").update(low=7, high=7),
        "with no estimate counted it shows no range",
    ),
    "overlapping classes": (
        lambda t: _class(t, "acdf_2")["when"].update(levels_fused={"min": 1, "max": 2}),
        "classes acdf_1 and acdf_2 overlap",
    ),
    "overlapping rates of one class and outcome": (
        lambda t: _rate(t, "lumbar_1_2", "hardware_failure", 1)["when"].update(
            bone_quality=["osteoporosis_grade", "normal"]
        ),
        r"overlap for \['lumbar_1_2'\], hardware_failure",
    ),
    "a condition on an unknown input": (
        lambda t: _class(t, "acdf_1")["when"].update(implant=["plate"]),
        "unknown input 'implant'",
    ),
    "a condition on a value the input cannot take": (
        lambda t: _class(t, "acdf_1")["when"].update(approach=["lateral"]),
        "approach: values must be the input's",
    ),
    "a bone condition naming no bone level": (
        lambda t: _rate(t, "lumbar_1_2", "hardware_failure")["when"].update(bone_quality=["brittle"]),
        "bone_quality must list bone levels",
    ),
    "a class without a label": (lambda t: _class(t, "acdf_1").pop("label"), "malformed"),
    "rates without their label": (lambda t: _rates(t).update(label=""), "typical rates need their label"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_table_breaking_a_typical_rate_rule_refuses_to_load(table, case):
    breakage, message = REFUSALS[case]
    refuses(table, breakage, message)
