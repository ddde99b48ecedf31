"""Server numbers within the range the arithmetic here can use.

The lenient readers keep an absurd integer as it came (10**400 is valid JSON), and a float cannot hold
it: such a timestamp or count reads as unknown, never as an OverflowError.
"""

from __future__ import annotations

# Floats are exact up to 2**53: far past any real timestamp (year 285 million) or request count.
LIMIT = 2**53


def moment(timestamp: int | None) -> float | None:
    """Unix seconds as a float, or None when absent or absurd."""
    return float(timestamp) if timestamp is not None and -LIMIT <= timestamp <= LIMIT else None


def count(value: int | None) -> int | None:
    """A count, or None when absent, negative or absurd."""
    return value if value is not None and 0 <= value <= LIMIT else None
