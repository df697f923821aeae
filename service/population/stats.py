"""The statistics of `validate`: AUC with DeLong's interval, Wilson intervals, the Cochran–Armitage
trend test, and the odds ratio per point the model states (no probability: the model has none)."""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm, rankdata

Z95 = float(norm.ppf(0.975))
NEWTON_STEPS = 25


def delong(points: np.ndarray, events: np.ndarray) -> tuple[float, float, float]:
    """Return the AUC of `points` for `events` (0/1) and its 95 % interval, by DeLong's method with
    midranks (ties count a half, as the Mann–Whitney statistic counts them)."""
    cases, controls = points[events == 1], points[events == 0]
    m, n = len(cases), len(controls)
    together = rankdata(np.concatenate([cases, controls]))
    auc = (together[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (together[:m] - rankdata(cases)) / n  # each case's share of controls it outranks
    v01 = 1 - (together[m:] - rankdata(controls)) / m  # each control's share of cases that outrank it
    se = math.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    return float(auc), max(0.0, auc - Z95 * se), min(1.0, auc + Z95 * se)


def wilson(events: int, n: int) -> tuple[float, float]:
    """Return the Wilson score 95 % interval of a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = events / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def cochran_armitage(events: list[int], totals: list[int]) -> tuple[float, float]:
    """Return (z, two-sided p) of the Cochran–Armitage test for a trend of the rate across ordered groups
    (scores 0, 1, 2…); z > 0: the rate rises with the group."""
    weights = np.arange(len(totals), dtype=float)
    r, n = np.asarray(events, float), np.asarray(totals, float)
    total, cases = n.sum(), r.sum()
    p = cases / total
    statistic = (weights * (r - n * p)).sum()
    variance = p * (1 - p) * ((weights**2 * n).sum() - (weights * n).sum() ** 2 / total)
    if variance <= 0:
        return 0.0, 1.0
    z = statistic / math.sqrt(variance)
    return float(z), float(2 * norm.sf(abs(z)))


def odds_ratio_per_point(points: np.ndarray, events: np.ndarray) -> tuple[float, float, float]:
    """Return the odds ratio per point and its 95 % interval (logistic regression of the events on the
    points, by Newton's method): the model states this ratio; its intercept is not reported."""
    design = np.column_stack([np.ones(len(points)), points.astype(float)])
    beta = np.zeros(2)
    for _ in range(NEWTON_STEPS):
        fitted = 1 / (1 + np.exp(-design @ beta))
        information = design.T @ (design * (fitted * (1 - fitted))[:, None])
        step = np.linalg.solve(information, design.T @ (events - fitted))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    se = math.sqrt(np.linalg.inv(information)[1, 1])
    return math.exp(beta[1]), math.exp(beta[1] - Z95 * se), math.exp(beta[1] + Z95 * se)
