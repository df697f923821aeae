"""Lookups derived from the table once at load: the tier of each total, the readers of each factor."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .table import Factor


def tier_table(tiers: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Return the tier of each total from 0 to the highest tier's lowest points."""
    top = max(lowest for _, lowest in tiers)
    lowest_tier = tiers[0][0]  # an inconsistent table is reported by check_model, not here
    return tuple(
        next((t for t, lowest in reversed(tiers) if points >= lowest), lowest_tier)
        for points in range(top + 1)
    )


def dependents(factors: tuple[Factor, ...]) -> Mapping[str, tuple[Factor, ...]]:
    """Return, for each factor, the factors whose rules read it, directly or not, in table order."""
    order = {factor.id: position for position, factor in enumerate(factors)}
    readers = {factor.id: [f.id for f in factors if factor.id in f.reads] for factor in factors}
    found = {}
    for factor in factors:
        reached, waiting = set(), list(readers[factor.id])
        while waiting:
            reader = waiting.pop()
            if reader not in reached:
                reached.add(reader)
                waiting += readers.get(reader, [])
        found[factor.id] = tuple(factors[order[r]] for r in sorted(reached, key=order.__getitem__))
    return MappingProxyType(found)
