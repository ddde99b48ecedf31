"""The one source of 'now', for the UI and the simulator alike; a manual clock replaces it in tests.

Standard library only: the simulator runs on its own and imports this too.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Unix seconds."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that moves only when told to, so ages, snapshots and lifecycles need no sleeping."""

    def __init__(self, start: float = 1_764_000_000.0) -> None:
        self._now = float(start)
        # The simulator reads the clock from its request threads while a test advances it.
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a ManualClock only moves forward")
        with self._lock:
            self._now += seconds
            return self._now
