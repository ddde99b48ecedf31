"""What a batch cost, estimated from the usage it reports at batch prices.

Usage is read from the JSON as the server sent it, in either shape: the Batch object's own
(input_tokens, input_tokens_details.cached_tokens, output_tokens, output_tokens_details.reasoning_tokens)
or the Chat Completions one some gateways send (prompt_tokens, completion_tokens and their details).
Input tokens include the cached ones and output tokens the reasoning ones, so the parts are split to
add up to the total: Input (not cached), Cached input, Output (not reasoning), Reasoning.
Anything unreadable counts as no usage; nothing here raises on what a server sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from batchtui.api.lenient import lenient_int
from batchtui.api.models import Batch
from batchtui.glance import bounds
from batchtui.glance.insight import Cost, TokenCost
from batchtui.glance.prices import Rates, batch_rates

MILLION = Decimal(1_000_000)
NO_USAGE = "no usage reported yet"
NO_MODEL = "the batch names no model"
NO_TOKENS = "no tokens used yet"
FREE = "moderations are free"


@dataclass(frozen=True)
class TokenUsage:
    input: int  # cached ones included
    cached: int
    output: int  # reasoning ones included
    reasoning: int


def estimate_cost(batch: Batch) -> Cost:
    """The batch's cost from its usage and model (slow on first use: run it off the event loop)."""
    raw = batch.raw
    return cost_of_usage(
        batch.model or raw.get("model"), raw.get("usage"), endpoint=batch.endpoint, created_at=batch.created_at
    )


def cost_of_usage(model: Any, usage: Any, *, endpoint: Any = None, created_at: Any = None) -> Cost:
    """The cost of `usage` (raw JSON) on `model` for a batch created at `created_at` (Unix seconds)."""
    tokens = read_usage(usage)
    if tokens is None:
        return Cost(total=None, reason=NO_USAGE, no_usage=True)
    if _is_moderations(endpoint):
        return Cost(total=Decimal(0), basis=FREE)
    if tokens.input == 0 and tokens.output == 0:
        # A batch still validating reports zeros: nothing to price yet, not a price of nothing.
        return Cost(total=None, reason=NO_TOKENS, no_usage=True)
    if not isinstance(model, str) or not model.strip():
        return Cost(total=None, reason=NO_MODEL)
    rates = batch_rates(model, bounds.moment(lenient_int(created_at)))
    if rates is None or rates.input is None:
        return Cost(total=None, reason=f"{model.strip()} is not in the price list")
    parts = _parts(tokens, rates, embeddings=_is_embeddings(endpoint))
    total = sum((part.cost for part in parts), Decimal(0))
    return Cost(total=total, parts=parts, batch_prices=rates.batch_prices)


def read_usage(usage: Any) -> TokenUsage | None:
    """Token counts from either usage shape; None when there is no readable input count."""
    if not isinstance(usage, Mapping):
        return None
    input_tokens = _count(usage, "input_tokens", "prompt_tokens")
    if input_tokens is None:
        return None
    output_tokens = _count(usage, "output_tokens", "completion_tokens") or 0
    cached = _detail(usage, ("input_tokens_details", "prompt_tokens_details"), "cached_tokens")
    reasoning = _detail(usage, ("output_tokens_details", "completion_tokens_details"), "reasoning_tokens")
    return TokenUsage(
        input=input_tokens,
        cached=min(cached, input_tokens),
        output=output_tokens,
        reasoning=min(reasoning, output_tokens),
    )


def _count(usage: Mapping[Any, Any], *names: str) -> int | None:
    for name in names:
        value = bounds.count(lenient_int(usage.get(name)))
        if value is not None:
            return value
    return None


def _detail(usage: Mapping[Any, Any], containers: tuple[str, ...], name: str) -> int:
    for container in containers:
        details = usage.get(container)
        if isinstance(details, Mapping):
            value = bounds.count(lenient_int(details.get(name)))
            if value is not None:
                return value
    return 0


def _parts(tokens: TokenUsage, rates: Rates, *, embeddings: bool) -> tuple[TokenCost, ...]:
    input_rate = rates.input or Decimal(0)
    if embeddings:
        return (TokenCost("Input", tokens.input, _price(tokens.input, input_rate)),)
    # A model without a cached-input price is billed its input price for every input token.
    cached = tokens.cached if rates.cached_input is not None else 0
    uncached = tokens.input - cached
    parts = [TokenCost("Input", uncached, _price(uncached, input_rate))]
    if cached:
        parts.append(TokenCost("Cached input", cached, _price(cached, rates.cached_input or Decimal(0))))
    output_rate = rates.output or Decimal(0)
    visible = tokens.output - tokens.reasoning
    parts.append(TokenCost("Output", visible, _price(visible, output_rate)))
    if tokens.reasoning:
        parts.append(TokenCost("Reasoning", tokens.reasoning, _price(tokens.reasoning, output_rate)))
    return tuple(parts)


def _price(tokens: int, per_million: Decimal) -> Decimal:
    return Decimal(tokens) * per_million / MILLION


def _is_moderations(endpoint: Any) -> bool:
    return isinstance(endpoint, str) and endpoint.rstrip("/").endswith("/moderations")


def _is_embeddings(endpoint: Any) -> bool:
    return isinstance(endpoint, str) and endpoint.rstrip("/").endswith("/embeddings")
