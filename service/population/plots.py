"""The validation report's plots (matplotlib, Agg): SVG as data URIs, with no font or file fetched."""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

matplotlib.rcParams.update({"svg.hashsalt": "spinal-fusion-risk", "svg.fonttype": "path"})  # reproducible


def _data_uri(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def rate_by_tier(tiers: list[dict[str, Any]], outcome: str) -> str:
    """Observed rate per tier, with its Wilson 95 % interval as error bars."""
    figure, axes = plt.subplots(figsize=(4.5, 3))
    shown = [t for t in tiers if t["n"]]
    rates = np.array([100 * t["rate"] for t in shown])
    low = rates - np.array([100 * t["ci95"][0] for t in shown])
    high = np.array([100 * t["ci95"][1] for t in shown]) - rates
    axes.errorbar([t["tier"] for t in shown], rates, yerr=[low, high], fmt="o", capsize=4, color="#1f4e79")
    axes.set_ylabel(f"observed {outcome} per 100")
    axes.set_xlabel("tier")
    axes.set_ylim(bottom=0)
    return _data_uri(figure)


def roc(points: np.ndarray, events: np.ndarray, auc: float) -> str:
    """The ROC curve of the points (one step per distinct points value)."""
    thresholds = np.unique(points)[::-1]
    cases, controls = max(int(events.sum()), 1), max(int((1 - events).sum()), 1)
    tpr = [0.0] + [float(((points >= t) & (events == 1)).sum()) / cases for t in thresholds]
    fpr = [0.0] + [float(((points >= t) & (events == 0)).sum()) / controls for t in thresholds]
    figure, axes = plt.subplots(figsize=(3.6, 3.6))
    axes.plot(fpr, tpr, marker="o", color="#1f4e79", label=f"points (AUC {auc:.3f})")
    axes.plot([0, 1], [0, 1], linestyle="--", color="#777777", label="no separation")
    axes.set_xlabel("1 − specificity")
    axes.set_ylabel("sensitivity")
    axes.legend(loc="lower right", fontsize="small")
    return _data_uri(figure)
