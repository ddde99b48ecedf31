"""Fault injection: the misbehaviour of real networks, gateways and servers, drawn from a seeded RNG."""

from __future__ import annotations

import enum
import random
import threading
from dataclasses import dataclass


class FaultKind(enum.StrEnum):
    RATE_LIMIT = "rate_limit"  # 429 with retry-after (and sometimes retry-after-ms)
    SERVER_ERROR = "server_error"  # 500 with a JSON error body
    BAD_GATEWAY = "bad_gateway"  # 502 with an nginx HTML page
    UNAVAILABLE = "unavailable"  # 503 with a JSON error body
    SLOW = "slow"  # the normal answer, late
    GARBAGE = "garbage"  # 200, JSON content-type, body that is not JSON
    WRONG_SHAPE = "wrong_shape"  # 200, valid JSON of the wrong shape
    DROPPED = "dropped"  # the connection closes without any response


@dataclass(frozen=True)
class FaultConfig:
    """Per-request probabilities of each fault, plus switches for specific pathologies."""

    rate_limit: float = 0.05
    server_error: float = 0.03
    bad_gateway: float = 0.03
    unavailable: float = 0.03
    slow: float = 0.05
    garbage: float = 0.02
    wrong_shape: float = 0.02
    dropped: float = 0.02
    slow_seconds: tuple[float, float] = (0.5, 3.0)
    retry_after_seconds: tuple[int, int] = (1, 3)
    # POST/DELETE stay fault-free unless asked. When asked, a fault on a mutation replaces it
    # (nothing changes server-side), except SLOW, which performs it late.
    on_mutations: bool = False
    # Listing answers has_more: true with the same first page forever.
    stuck_cursor: bool = False
    # The next POST /batches creates the batch, then drops the connection (or answers after
    # create_timeout_delay seconds), as a client timeout would see it.
    create_timeout_once: bool = False
    create_timeout_delay: float = 0.0
    seed: int | None = None  # None: the simulator's seed

    @classmethod
    def only(cls, **settings: object) -> FaultConfig:
        """Every probability zero except the ones given: `FaultConfig.only(rate_limit=1.0)`."""
        silent = {kind.value: 0.0 for kind in FaultKind}
        return cls(**{**silent, **settings})  # type: ignore[arg-type]

    def probability(self, kind: FaultKind) -> float:
        return float(getattr(self, kind.value))


class FaultInjector:
    """Draws the fault (if any) for each request; thread-safe, deterministic for a seed and request order."""

    def __init__(self, config: FaultConfig, default_seed: int) -> None:
        self.config = config
        seed = config.seed if config.seed is not None else default_seed
        self._rng = random.Random(f"faults:{seed}")
        self._lock = threading.Lock()
        self._create_timeout_armed = config.create_timeout_once

    def draw(self, *, mutating: bool) -> FaultKind | None:
        if mutating and not self.config.on_mutations:
            return None
        with self._lock:
            roll = self._rng.random()
        threshold = 0.0
        for kind in FaultKind:
            threshold += self.config.probability(kind)
            if roll < threshold:
                return kind
        return None

    def uniform(self, low: float, high: float) -> float:
        with self._lock:
            return self._rng.uniform(low, high)

    def randint(self, low: int, high: int) -> int:
        with self._lock:
            return self._rng.randint(low, high)

    def take_create_timeout(self) -> bool:
        """True exactly once after create_timeout_once was configured."""
        with self._lock:
            armed, self._create_timeout_armed = self._create_timeout_armed, False
            return armed
