"""The pages' colour schemes: in light and dark, text keeps 4.5:1 against what it sits on and the
charts' tier colours 3:1 against the page (WCAG AA); paper is always printed light."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "service" / "pages" / "static" / "pages.css").read_text(
    encoding="utf-8"
)
TEXT, GRAPHIC = 4.5, 3.0
RANKS = ("rank-0", "rank-1", "rank-2")


def variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def scheme(name: str) -> dict[str, str]:
    light = variables(CSS[CSS.index(":root {") : CSS.index("}")])
    if name == "light":
        return light
    dark = re.search(r"@media screen and \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", CSS, re.DOTALL)
    assert dark, "no dark scheme for screens"
    return {**light, **variables(dark[1])}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs() -> list[tuple[str, str, float]]:
    """(foreground, background, least contrast) as the stylesheet combines its colours."""
    on_paper = [(name, "paper", TEXT) for name in ("ink", "muted", "accent", "error", *RANKS)]
    tiers = [(rank, "paper", GRAPHIC) for rank in RANKS]  # the bars of the chart
    badges = [("on-rank", rank, TEXT) for rank in RANKS]  # badges and the emergency banner
    tints = [(text, f"{rank}-tint", TEXT) for rank in RANKS for text in ("ink", "accent")]
    boxes = [("on-rank", "neutral", TEXT), *((text, "box", TEXT) for text in ("ink", "muted", "accent"))]
    return [
        *on_paper,
        *tiers,
        *badges,
        *tints,
        *boxes,
        ("on-button", "button", TEXT),
        ("ink", "out-of-range", TEXT),
    ]


@pytest.mark.parametrize("name", ["light", "dark"])
@pytest.mark.parametrize(("foreground", "background", "least"), pairs(), ids=lambda v: str(v))
def test_colours_keep_their_contrast_in_both_schemes(name, foreground, background, least):
    colours = scheme(name)
    assert contrast(colours[foreground], colours[background]) >= least


def test_the_dark_scheme_changes_the_page_and_the_tiers():
    light, dark = scheme("light"), scheme("dark")
    assert luminance(dark["paper"]) < luminance(dark["ink"]) and luminance(light["paper"]) > luminance(
        light["ink"]
    )
    assert all(light[rank] != dark[rank] for rank in RANKS)


def test_the_contrast_check_can_fail():
    assert contrast("#777777", "#ffffff") < TEXT and contrast("#000000", "#ffffff") == pytest.approx(21)
