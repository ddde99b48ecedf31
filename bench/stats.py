"""Medians, spreads and percentiles: every figure is a list of measurements, summarised the same way."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    median: float
    low: float
    high: float
    n: int


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        return Summary(math.nan, math.nan, math.nan, 0)
    return Summary(statistics.median(values), min(values), max(values), len(values))


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * p / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Per-round ratios of two interleaved series (round i of A against round i of B)."""
    return [a / b for a, b in zip(numerators, denominators, strict=True) if b]


def slope_per_minute(times: Sequence[float], values: Sequence[float]) -> float:
    """Least-squares slope of values over times (seconds), per minute."""
    if len(times) < 2:
        return 0.0
    return statistics.linear_regression(times, values).slope * 60
