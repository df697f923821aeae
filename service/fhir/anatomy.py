"""Read a fused vertebral range ("L4-S1", "T10 to pelvis") into levels, region and sacrum."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# Vertebrae in order, C1 first; a fusion's levels are the motion segments between its ends.
VERTEBRAE = [f"c{n}" for n in range(1, 8)] + [f"t{n}" for n in range(1, 13)]
VERTEBRAE += [f"l{n}" for n in range(1, 6)] + ["s1"]
SPAN = re.compile(r"\b([ctls])\s?(\d{1,2})\s*(?:-|–|—|to|through)\s*(?:([ctls])\s?(\d{1,2})\b|([a-z]+))")


def fusion_span(text: str, sacrum_words: Iterable[str], regions: Mapping[str, str]) -> dict[str, Any] | None:
    """Return {levels_fused, region?, fusion_to_sacrum_or_pelvis} from the first range in `text`;
    `regions` names a span's region by the letters of its end vertebrae ("tl": thoracolumbar)."""
    match = SPAN.search(text.lower())
    if match is None:
        return None
    start = f"{match[1]}{int(match[2])}"
    to_pelvis = match[5] in set(sacrum_words)
    end = "s1" if to_pelvis else f"{match[3]}{int(match[4])}" if match[3] else None
    if start not in VERTEBRAE or end not in VERTEBRAE or VERTEBRAE.index(end) <= VERTEBRAE.index(start):
        return None
    span: dict[str, Any] = {"levels_fused": VERTEBRAE.index(end) - VERTEBRAE.index(start)}
    region = regions.get("".join(sorted({start[0], end[0]}, key="ctls".index)))
    if region:
        span["region"] = region
    span["fusion_to_sacrum_or_pelvis"] = end == "s1"
    return span
