"""Cost estimates against hand computations from the price list genai-prices 0.2.3 ships (US dollars per million)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import Any

import pytest

from batchtui.api.models import Batch
from batchtui.glance.cost import FREE, NO_MODEL, NO_TOKENS, NO_USAGE, cost_of_usage, estimate_cost, read_usage
from batchtui.glance.insight import TokenCost
from batchtui.glance.prices import batch_rates
from tests.support.batches import NOW
from tests.support.batches import batch_json as server_batch

# NOW is 2025-11-24, before the list's batch prices start (2026-10-14): every price is half the listed one.
AFTER_BATCH_PRICES = 1_793_500_000  # 2026-11-01


def responses_usage(input_tokens: Any, cached: Any = 0, output: Any = 0, reasoning: Any = 0) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": output,
        "output_tokens_details": {"reasoning_tokens": reasoning},
    }


def chat_usage(prompt: Any, cached: Any = 0, completion: Any = 0, reasoning: Any = 0) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "prompt_tokens_details": {"cached_tokens": cached},
        "completion_tokens": completion,
        "completion_tokens_details": {"reasoning_tokens": reasoning},
    }


def batch(model: str | None, usage: Any, **fields: Any) -> Batch:
    return Batch.model_validate(server_batch(model=model, usage=usage, created_at=NOW, **fields))


def test_gpt_4o_mini_at_half_the_listed_price() -> None:
    # Listed: input 0.15, cached input 0.075, output 0.60 -> batch 0.075, 0.0375, 0.30.
    cost = estimate_cost(batch("gpt-4o-mini", responses_usage(2_000_000, cached=500_000, output=1_000_000)))
    assert cost.parts == (
        TokenCost("Input", 1_500_000, Decimal("0.1125")),
        TokenCost("Cached input", 500_000, Decimal("0.01875")),
        TokenCost("Output", 1_000_000, Decimal("0.3")),
    )
    assert cost.total == Decimal("0.43125")
    assert (cost.batch_prices, cost.reason, cost.no_usage) == (False, None, False)


GPT_41_PARTS = (
    # Listed for gpt-4.1: input 2, cached input 0.50, output 8 -> batch 1, 0.25, 4.
    TokenCost("Input", 600_000, Decimal("0.6")),
    TokenCost("Cached input", 400_000, Decimal("0.1")),
    TokenCost("Output", 200_000, Decimal("0.8")),
    # Reasoning tokens are part of the output tokens: a line of their own, counted once.
    TokenCost("Reasoning", 100_000, Decimal("0.4")),
)


def test_a_dated_gpt_4_1_snapshot_with_cached_and_reasoning_tokens() -> None:
    usage = responses_usage(1_000_000, cached=400_000, output=300_000, reasoning=100_000)
    cost = estimate_cost(batch("gpt-4.1-2025-04-14", usage, endpoint="/v1/responses"))
    assert cost.parts == GPT_41_PARTS
    assert cost.total == Decimal("1.9")
    assert sum(part.tokens for part in cost.parts) == 1_000_000 + 300_000


def test_chat_style_usage_costs_the_same() -> None:
    usage = chat_usage("1000000", cached=400_000, completion=300_000, reasoning=100_000)
    cost = estimate_cost(batch("gpt-4.1-2025-04-14", usage))
    assert (cost.parts, cost.total) == (GPT_41_PARTS, Decimal("1.9"))


def test_the_lists_own_batch_prices_from_the_day_they_start() -> None:
    # The batch variant sets input 1 and output 4; the cached price it leaves alone stays the listed 0.50.
    usage = responses_usage(1_000_000, cached=400_000, output=300_000, reasoning=100_000)
    cost = cost_of_usage("gpt-4.1", usage, created_at=AFTER_BATCH_PRICES)
    assert cost.batch_prices
    assert [part.cost for part in cost.parts] == [Decimal("0.6"), Decimal("0.2"), Decimal("0.8"), Decimal("0.4")]
    assert cost.total == Decimal("2.0")


def test_an_embedding_model_is_priced_on_input_only() -> None:
    # text-embedding-3-small is listed at 0.02 (no batch price): 5M tokens at 0.01.
    usage = {"prompt_tokens": 5_000_000, "total_tokens": 5_000_000, "completion_tokens": 99}
    cost = estimate_cost(batch("text-embedding-3-small", usage, endpoint="/v1/embeddings"))
    assert cost.parts == (TokenCost("Input", 5_000_000, Decimal("0.05")),)
    assert cost.total == Decimal("0.05")


@pytest.mark.parametrize("model", ["gpt-9000", "llama-3.1-70b", "ft:davinci-002:acme::abc123"])
def test_a_model_the_list_does_not_know_has_a_reason_and_no_total(model: str) -> None:
    cost = estimate_cost(batch(model, responses_usage(1_000, output=10)))
    assert cost.total is None
    assert cost.reason == f"{model} is not in the price list"
    assert not cost.no_usage and cost.parts == ()


def test_a_fine_tuned_model_the_list_prices_uses_its_fine_tuned_price() -> None:
    # The list has ft:gpt-4o-mini-2024-* at input 0.30, output 1.20, without a cached price: cached is input.
    usage = responses_usage(1_000_000, cached=200_000, output=1_000_000)
    cost = estimate_cost(batch("ft:gpt-4o-mini-2024-07-18:acme::abc123", usage))
    assert cost.parts == (
        TokenCost("Input", 1_000_000, Decimal("0.15")),
        TokenCost("Output", 1_000_000, Decimal("0.6")),
    )
    assert cost.total == Decimal("0.75")


@pytest.mark.parametrize(
    "usage",
    [
        None,
        "lots",
        [1, 2],
        42,
        {},
        {"input_tokens": "many", "output_tokens": 5},
        {"input_tokens": [1], "output_tokens": 5},
        {"input_tokens": -5},
        {"input_tokens": None, "prompt_tokens": {"x": 1}},
        {"total_tokens": 1_000},
    ],
    ids=repr,
)
def test_missing_or_garbage_usage_is_no_usage(usage: Any) -> None:
    cost = estimate_cost(batch("gpt-4o-mini", usage))
    assert (cost.total, cost.reason, cost.no_usage) == (None, NO_USAGE, True)


def test_garbage_details_count_as_none_and_never_more_than_their_whole() -> None:
    tokens = read_usage(
        {
            "input_tokens": 100,
            "input_tokens_details": "x",
            "output_tokens": "10",
            "output_tokens_details": {"reasoning_tokens": 50},
        }
    )
    assert tokens is not None
    assert (tokens.input, tokens.cached, tokens.output, tokens.reasoning) == (100, 0, 10, 10)
    assert read_usage({"input_tokens": 10, "input_tokens_details": {"cached_tokens": 99}}).cached == 10  # type: ignore[union-attr]


def test_no_model_is_said_so() -> None:
    assert estimate_cost(batch(None, responses_usage(10))).reason == NO_MODEL
    assert cost_of_usage(["gpt-4o"], responses_usage(10)).reason == NO_MODEL


def test_zero_usage_has_nothing_to_price_yet() -> None:
    # What a batch still validating reports: '—' and why, not '$0.00'.
    cost = estimate_cost(batch("gpt-4o-mini", responses_usage(0)))
    assert cost.total is None and cost.reason == NO_TOKENS and cost.no_usage


def test_moderations_are_free_whatever_the_usage() -> None:
    cost = cost_of_usage("omni-moderation-latest", responses_usage(5000), endpoint="/v1/moderations")
    assert cost.total == Decimal(0) and cost.basis == FREE and cost.reason is None
    assert cost_of_usage("omni-moderation-latest", responses_usage(5000)).total is None  # elsewhere: not in the list


def test_lookups_are_cached_per_model_and_day() -> None:
    first = batch_rates("GPT-4o-mini-2024-07-18", NOW)
    assert first is not None and first.model == "gpt-4o-mini"
    assert batch_rates("gpt-4o-mini-2024-07-18", NOW + 60) is first
    assert batch_rates("  ", NOW) is None


NETWORK_BLOCKED = textwrap.dedent(
    """
    import socket, sys, threading
    attempts = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo
    LOOPBACK = {"127.0.0.1", "::1", "localhost"}

    def host_of(address):
        return address[0] if isinstance(address, tuple) else str(address)

    def connect(self, address):
        if host_of(address) not in LOOPBACK:
            attempts.append(address)
            raise OSError(f"network blocked: {address!r}")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            attempts.append(host)
            raise OSError(f"network blocked: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.getaddrinfo = getaddrinfo
    # The guard itself, both ways in: a name lookup and a connect to an address.
    for reach in (lambda: socket.create_connection(("example.com", 443), timeout=1),
                  lambda: socket.socket().connect(("192.0.2.1", 80))):
        try:
            reach()
        except OSError as error:
            assert "network blocked" in str(error), error
    assert attempts == ["example.com", ("192.0.2.1", 80)], attempts
    attempts.clear()

    from batchtui.glance.cost import cost_of_usage
    usage = {"input_tokens": 2_000_000, "output_tokens": 1_000_000}
    print(cost_of_usage("gpt-4o-mini", usage, created_at=1_764_000_000).total)
    print(cost_of_usage("gpt-4.1", usage, created_at=1_793_500_000).total)
    print(attempts, threading.active_count(), "genai_prices" in sys.modules)
    """
)


def test_prices_are_computed_with_the_network_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", NETWORK_BLOCKED], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    # gpt-4o-mini: 2M at 0.075 + 1M at 0.30; gpt-4.1 at its batch prices: 2M at 1 + 1M at 4.
    assert result.stdout.split("\n")[:3] == ["0.450", "6", "[] 1 True"]
