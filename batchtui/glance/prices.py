"""Batch prices per million tokens, from the price list the genai-prices package ships.

genai-prices is imported on first use, never at start-up: the import takes about 330 ms and the first
lookup about as long again, so callers look prices up on a worker thread. Only its bundled data is
read; its updater (`UpdatePrices`) downloads from the network and is never started here.

The list gives batch prices as a variant of a model's prices (`processing: batch`) from the day the
Batch API's price table was checked; before that day, or for a model without one, the batch price is
half the listed price, as the Batch API documents.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_prices.types import ModelInfo, ModelPrice

PROVIDER = "openai"
BATCH_CONTEXT = {"processing": "batch"}
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Rates:
    """US dollars per million tokens at batch prices; None where the list has no price of that kind."""

    model: str  # the price list's name for the model ("gpt-4o-mini" for "gpt-4o-mini-2024-07-18")
    input: Decimal | None
    cached_input: Decimal | None
    output: Decimal | None
    batch_prices: bool  # True: the list's own batch prices; False: half the listed price


# genai-prices fills its lookup caches on first use; one lookup at a time keeps them whole across threads.
_lock = threading.Lock()


def batch_rates(model: str, at: float | None) -> Rates | None:
    """The batch prices of `model` for a batch created at `at` (Unix seconds; None: today); None when it is not listed."""
    name = model.strip().lower()
    if not name:
        return None
    try:
        day = datetime.fromtimestamp(at, UTC).date() if at is not None else datetime.now(UTC).date()
    except (OverflowError, OSError, ValueError):
        day = datetime.now(UTC).date()
    return _rates(name, day)


@lru_cache(maxsize=512)
def _rates(name: str, day: date) -> Rates | None:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    with _lock:
        found = _look_up(name, moment)
    if found is None:
        return None
    info, price = found
    batch = _has_batch_prices(info, moment)
    factor = Decimal(1) if batch else HALF
    rates = Rates(
        model=info.id,
        input=_per_million(price.input_mtok, factor),
        cached_input=_per_million(price.cache_read_mtok, factor),
        output=_per_million(price.output_mtok, factor),
        batch_prices=batch,
    )
    return rates if rates.input is not None or rates.output is not None else None


def _look_up(name: str, moment: datetime) -> tuple[ModelInfo, ModelPrice] | None:
    import genai_prices  # deferred: see the module docstring

    try:
        calculation = genai_prices.calc_price(
            genai_prices.Usage(input_tokens=0, output_tokens=0),
            name,
            provider_id=PROVIDER,
            genai_request_timestamp=moment,
            price_context=BATCH_CONTEXT,
        )
    except (LookupError, ValueError, TypeError):
        return None
    return calculation.model, calculation.model_price


def _has_batch_prices(info: ModelInfo, moment: datetime) -> bool:
    for variant in info.price_variants or ():
        if variant.when == BATCH_CONTEXT and (variant.constraint is None or variant.constraint.active(moment)):
            return True
    return False


def _per_million(price: object, factor: Decimal) -> Decimal | None:
    # Tiered prices depend on each request's own size, which a batch's summed usage hides: the base rate is the estimate.
    base = getattr(price, "base", price)
    if not isinstance(base, Decimal) or not base.is_finite() or base < 0:
        return None
    return base * factor


def warm_up() -> None:
    """Load the price list ahead of the first estimate (on a worker thread: it takes most of a second)."""
    batch_rates("gpt-4o-mini", None)
