"""Vertebral ranges read into levels (motion segments), region and whether they reach the sacrum."""

from __future__ import annotations

import pytest

from service.fhir import load_terminology
from service.fhir.anatomy import fusion_span

FUSION = load_terminology().table["fusion"]

RANGES = [
    # text, levels, region, to the sacrum or pelvis
    ("L4-L5", 1, "lumbar", False),
    ("L4-S1", 2, "lumbar", True),
    ("l4–s1", 2, "lumbar", True),
    ("L1 to L5", 4, "lumbar", False),
    ("T10 through pelvis", 8, "thoracolumbar", True),
    ("T4-T12", 8, "thoracic", False),
    ("T11-L2", 3, "thoracolumbar", False),
    ("C5-C6", 1, "cervical", False),
    ("C3-C7", 4, "cervical", False),
    ("C7-T2", 2, None, False),  # cervicothoracic: no region the model knows
    ("Posterior spinal fusion L 3 - S 1 with TLIF", 3, "lumbar", True),
    ("T2-ilium", 16, "thoracolumbar", True),
]


@pytest.mark.parametrize(("text", "levels", "region", "sacrum"), RANGES, ids=[r[0] for r in RANGES])
def test_a_range_gives_levels_region_and_sacrum(text, levels, region, sacrum):
    span = fusion_span(text, FUSION["sacrum_words"], FUSION["regions"])
    assert span is not None
    assert (span["levels_fused"], span.get("region"), span["fusion_to_sacrum_or_pelvis"]) == (
        levels,
        region,
        sacrum,
    )


@pytest.mark.parametrize("text", ["", "lumbar fusion", "L5-L4", "L3-L3", "C9-T1", "T13-L1", "L4 and L5"])
def test_no_readable_range_is_none(text):
    assert fusion_span(text, FUSION["sacrum_words"], FUSION["regions"]) is None
