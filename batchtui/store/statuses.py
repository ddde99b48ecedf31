"""The status groups the store reasons with: the API's own (batchtui/api/statuses.py, plain data that
loads no HTTP code), and the order of the "status" sort.
"""

from __future__ import annotations

from batchtui.api.statuses import ACTIVE, KNOWN, TERMINAL

__all__ = ["ACTIVE", "KNOWN", "SORT_ORDER", "TERMINAL", "is_terminal", "sort_rank"]

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
