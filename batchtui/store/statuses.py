"""The status groups the store reasons with.

They mirror batchtui/api/statuses.py (a test keeps them equal): importing that module runs
batchtui/api/__init__.py, which loads httpx, and the store must not.
"""

from __future__ import annotations

KNOWN: tuple[str, ...] = (
    "validating",
    "failed",
    "in_progress",
    "finalizing",
    "completed",
    "expired",
    "cancelling",
    "cancelled",
)
TERMINAL = frozenset({"failed", "completed", "expired", "cancelled"})
ACTIVE = frozenset({"validating", "in_progress", "finalizing", "cancelling"})

# The order of the "status" sort: what still moves first, then what ended badly, then the rest.
SORT_ORDER: tuple[str, ...] = (
    "in_progress",
    "finalizing",
    "validating",
    "cancelling",
    "failed",
    "expired",
    "cancelled",
    "completed",
)


def sort_rank(status: str) -> int:
    """Higher sorts first; a status we do not know yet sorts after every known one."""
    try:
        return len(SORT_ORDER) - SORT_ORDER.index(status)
    except ValueError:
        return 0


def is_terminal(status: str) -> bool:
    # A status we have never seen counts as still moving: refreshing it costs a request, missing its end costs the user.
    return status in TERMINAL
