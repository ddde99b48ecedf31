"""The batch statuses the API documents, and the groups the rest of batchtui reasons with.

Plain data with no imports, so jsonl and the store can use it without loading the HTTP client.
A status outside KNOWN is still a status: servers add new ones, and callers must cope.
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
# Still moving: each of these will change without the user doing anything.
ACTIVE = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
CANCELLABLE = frozenset({"validating", "in_progress", "finalizing"})
