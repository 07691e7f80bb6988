"""How the benchmarks summarise their samples: one implementation for all of them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``samples``, nearest rank (``nan`` for no samples)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def spread(values: Sequence[float], unit: str = "", digits: int = 2) -> str:
    """``median [min-max]`` of ``values`` (how a figure measured over rounds is printed)."""
    mid = statistics.median(values)
    return f"{mid:.{digits}f}{unit} [{min(values):.{digits}f}-{max(values):.{digits}f}]"
