"""Geometry of the report's inline SVG pictures (tier scale, points by factor), drawn by templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Layout, in SVG user units (the pictures scale with the page).
SCALE_WIDTH = 480
SCALE_BAND_HEIGHT = 28
SCALE_TOP = 22  # room for the marker's label above the bands
SCALE_SPAN = 2  # the scale runs to twice the highest tier's lowest points (further if needed)
BAR_AREA = 240
ROW_HEIGHT = 22
BAR_HEIGHT = 14
CHAR_WIDTH = 7  # an average character at the chart's font size, to size the label column
GAP = 8
VALUE_ROOM = 24  # right of a bar, for its points
TEXT_DROP = 12  # from a row's top to its text's baseline
CELL_CENTRE = 0.5  # the marker stands in the middle of its points' cell


@dataclass(frozen=True)
class Band:
    tier: str
    rank: int
    x: float
    width: float
    start: int  # the points where the tier begins
    in_range: bool  # within the result's range (unknowns at their best to their worst)


@dataclass(frozen=True)
class Scale:
    width: int
    height: int
    top: int
    band_height: int
    bands: tuple[Band, ...]
    marker: float  # x of the points marker
    points: int


def tier_scale(points: int, lowest: str, highest: str, tiers: Sequence[tuple[str, int]]) -> Scale:
    """Place the tiers on a scale of points, and the result's points on it."""
    cells = max(tiers[-1][1] * SCALE_SPAN, points + 1)
    cell = SCALE_WIDTH / cells
    names = [tier for tier, _ in tiers]
    low, high = names.index(lowest), names.index(highest)
    bands = []
    for rank, (tier, start) in enumerate(tiers):
        end = tiers[rank + 1][1] if rank + 1 < len(tiers) else cells
        bands.append(Band(tier, rank, start * cell, (end - start) * cell, start, low <= rank <= high))
    height = SCALE_TOP + SCALE_BAND_HEIGHT + ROW_HEIGHT
    return Scale(
        SCALE_WIDTH, height, SCALE_TOP, SCALE_BAND_HEIGHT, tuple(bands), (points + CELL_CENTRE) * cell, points
    )


@dataclass(frozen=True)
class Bar:
    label: str
    points: int
    y: float
    width: float


@dataclass(frozen=True)
class Bars:
    width: float
    height: float
    label_width: float
    bar_height: int
    text_dy: int
    bars: tuple[Bar, ...]


def factor_bars(entries: Sequence[Mapping[str, Any]], most: int) -> Bars:
    """Lay out one bar per contributing factor, `most` points being the longest bar of the report."""
    label_width = max((len(e["label"]) for e in entries), default=0) * CHAR_WIDTH + GAP
    unit = BAR_AREA / max(most, 1)
    bars = tuple(
        Bar(e["label"], e["points"], index * ROW_HEIGHT, e["points"] * unit)
        for index, e in enumerate(entries)
    )
    width = label_width + BAR_AREA + VALUE_ROOM
    return Bars(width, max(len(bars), 1) * ROW_HEIGHT, label_width, BAR_HEIGHT, TEXT_DROP, bars)
