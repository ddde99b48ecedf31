"""What the table and the detail pane show about a batch beyond what the server sent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Eta:
    """When an in_progress batch should finish at its current pace."""

    rate_per_minute: float  # completed + failed requests a minute
    remaining: int  # requests not yet completed or failed
    finishes_at: float | None  # Unix seconds; None while the rate is zero
    window_closes_at: float | None  # the batch's expires_at
    left_at_close: float | None  # share of the total (0–1) still left when the window closes; None if it finishes first
    from_observations: bool  # False: measured since in_progress_at, before two observations existed


@dataclass(frozen=True)
class Stuck:
    """A batch that has not moved as a batch should; `text` holds the word "stuck"."""

    rule: str  # "validating", "in_progress", "finalizing", "cancelling" or "expiry"
    since: float  # Unix seconds: when the condition began
    text: str  # e.g. "stuck? validating for 2h 10m, more than 30m"


@dataclass(frozen=True)
class TokenCost:
    """One line of the cost breakdown."""

    label: str  # "Input", "Cached input", "Output", "Reasoning"
    tokens: int
    cost: Decimal  # US dollars at batch prices


@dataclass(frozen=True)
class Cost:
    """An estimate from the token usage at batch prices, or the reason there is none."""

    total: Decimal | None  # US dollars; None: see `reason`
    parts: tuple[TokenCost, ...] = ()
    reason: str | None = None  # why there is no total: "no usage reported yet", "gpt-x is not in the price list"
    batch_prices: bool = False  # True: the price list has batch prices; False: half the listed price
    basis: str | None = None  # instead of the price basis, when the total needs no price list ("moderations are free")
    no_usage: bool = False  # True: no total because the batch reported no usage (not because of its model)


@dataclass(frozen=True)
class Insight:
    eta: Eta | None  # only for in_progress batches with a known total
    stuck: Stuck | None
    cost: Cost
    samples: tuple[tuple[float, int], ...] = ()  # (observed_at, completed) oldest first, for the sparkline
