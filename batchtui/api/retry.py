"""When to retry a request and how long to wait: the official SDK's policy.

Retry connection errors, timeouts, 408, 409, 429 and 5xx, waiting
min(initial * 2^n, max) scaled by jitter, unless the server says otherwise:
`x-should-retry` overrides everything, and `retry-after-ms` / `retry-after`
(seconds or an HTTP date) win when they ask for 0-120 s.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

RETRYABLE_STATUS = frozenset({408, 409, 429})
MAX_SERVER_WAIT = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    # Returns a factor in [0.75, 1.0], like the SDK; replaceable for deterministic tests.
    jitter: Callable[[], float] = field(default=lambda: 1.0 - 0.25 * random.random(), compare=False)

    def should_retry_status(self, status_code: int, headers: Mapping[str, str]) -> bool:
        override = headers.get("x-should-retry")
        if override is not None:
            if override.strip().lower() == "true":
                return True
            if override.strip().lower() == "false":
                return False
        return status_code in RETRYABLE_STATUS or status_code >= 500

    def backoff(self, retry_number: int) -> float:
        """Our own wait before retry number `retry_number` (0-based)."""
        return min(self.initial_delay * 2.0**retry_number, self.max_delay) * self.jitter()

    def delay(self, retry_number: int, headers: Mapping[str, str] | None = None, now: float | None = None) -> float:
        server_wait = server_requested_wait(headers or {}, now=now)
        if server_wait is not None:
            return server_wait
        return self.backoff(retry_number)


def server_requested_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait the server asked for, if it asked for a sane one (0-120 s)."""
    wait: float | None = None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            wait = float(raw_ms) / 1000.0
        except ValueError:
            wait = None
    if wait is None:
        raw = headers.get("retry-after")
        if raw is not None:
            wait = _parse_retry_after(raw, now)
    if wait is not None and 0 <= wait <= MAX_SERVER_WAIT:
        return wait
    return None


def _parse_retry_after(raw: str, now: float | None) -> float | None:
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)
