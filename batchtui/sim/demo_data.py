"""The seeded account: a month of batch history plus a few batches running right now.

Everything comes from one seeded RNG and the clock's start, so a seed always gives the same account.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
from dataclasses import dataclass

from batchtui.sim.config import SimConfig
from batchtui.sim.ids import alphanumeric_id, hex_id
from batchtui.sim.lifecycle import BatchPlan, TokensPerRequest

DAY = 86400.0
HISTORY_SECONDS = 30 * DAY


@dataclass(frozen=True)
class Workload:
    project: str
    endpoint: str
    models: tuple[str, ...]
    custom_id_prefix: str
    input_tokens: tuple[int, int]
    output_tokens: tuple[int, int]
    reasoning: bool = False


WORKLOADS = (
    Workload("support-triage", "/v1/chat/completions", ("gpt-4o-mini",), "ticket", (250, 900), (40, 220)),
    Workload("call-summaries", "/v1/chat/completions", ("gpt-4.1", "gpt-4.1-mini"), "call", (1500, 6000), (150, 500)),
    Workload(
        "doc-embeddings",
        "/v1/embeddings",
        ("text-embedding-3-small", "text-embedding-3-large"),
        "chunk",
        (120, 800),
        (0, 0),
    ),
    Workload("eval-nightly", "/v1/responses", ("o4-mini",), "request", (400, 2000), (300, 2500), reasoning=True),
    Workload("agent-evals", "/v1/responses", ("gpt-4.1",), "case", (800, 3000), (200, 900)),
    Workload("content-moderation", "/v1/moderations", ("omni-moderation-latest",), "post", (40, 300), (0, 0)),
    Workload("legacy-autocomplete", "/v1/completions", ("gpt-3.5-turbo-instruct",), "prompt", (50, 300), (5, 60)),
)
OWNERS = ("dana", "li", "omar", "priya", "sam", "jonas", "mei")
DESCRIPTIONS = (
    "nightly regression on the v3 prompt",
    "backfill for the Q3 archive",
    "re-run after the tokenizer fix",
    "A/B of the shorter system prompt",
)

# Statuses the account shows at the clock's start, most important first when the account is small.
_GUARANTEED = (
    "in_progress",
    "completed",
    "validating",
    "failed",
    "finalizing",
    "expired",
    "cancelling",
    "cancelled",
    "in_progress",
    "in_progress",
    "validating",
)
_HISTORY_WEIGHTS = {"completed": 70, "failed": 10, "expired": 7, "cancelled": 13}


def seeded_plans(config: SimConfig, now: float) -> list[BatchPlan]:
    """`config.batch_count` plans, oldest first."""
    rng = random.Random(f"history:{config.seed}")
    statuses = list(_GUARANTEED[: config.batch_count])
    statuses += rng.choices(
        list(_HISTORY_WEIGHTS), weights=list(_HISTORY_WEIGHTS.values()), k=max(0, config.batch_count - len(statuses))
    )
    running = {"validating": 0, "in_progress": 0}
    plans = []
    for status in statuses:
        nth = running.get(status, 0)
        running[status] = nth + 1
        plans.append(_plan_showing(status, nth, config, now, rng))
    return sorted(plans, key=lambda plan: plan.created_at)


def arrival_plan(config: SimConfig, created_at: float, rng: random.Random) -> BatchPlan:
    """A batch someone else just created, running at the live pace."""
    validating, in_progress, finalizing = live_durations(config, rng)
    return _plan(rng, config, created_at, _log_uniform(rng, 200, 20_000), validating, in_progress, finalizing)


def live_durations(config: SimConfig, rng: random.Random) -> tuple[float, float, float]:
    scale = config.time_scale
    return (
        config.validating_seconds * scale,
        rng.uniform(*config.in_progress_seconds) * scale,
        config.finalizing_seconds * scale,
    )


def _plan_showing(status: str, nth: int, config: SimConfig, now: float, rng: random.Random) -> BatchPlan:
    """A plan whose state at `now` is `status`."""
    if status in {"validating", "in_progress", "finalizing", "cancelling"}:
        return _live_plan(status, nth, config, now, rng)
    validating = rng.uniform(5, 120)
    total = _log_uniform(rng, 20, 50_000)
    in_progress = min(20 * 3600, max(300, total * rng.uniform(0.05, 1.5)))
    finalizing = rng.uniform(20, 600)
    if status == "expired":
        # Slow enough that the 24 h window closes with this share of the requests done.
        in_progress = (DAY - validating) / rng.uniform(0.35, 0.9)
        span = DAY
    elif status == "failed":
        span = validating
    else:
        span = validating + in_progress + finalizing
    created_at = rng.uniform(now - HISTORY_SECONDS, max(now - HISTORY_SECONDS, now - span - 600))
    plan = _plan(rng, config, created_at, total, validating, in_progress, finalizing)
    if status == "failed":
        plan.validation_errors = _validation_errors(rng, plan.model)
    elif status == "cancelled":
        plan.cancel(created_at + validating + in_progress * rng.uniform(0.1, 0.8), rng.uniform(60, 600))
    return plan


def _live_plan(status: str, nth: int, config: SimConfig, now: float, rng: random.Random) -> BatchPlan:
    validating, in_progress, finalizing = live_durations(config, rng)
    if status == "validating":
        age = validating * (0.2 + 0.5 * nth)
    elif status == "in_progress":
        age = validating + in_progress * min(0.9, 0.15 + 0.3 * nth)
    elif status == "finalizing":
        age = validating + in_progress + finalizing * 0.3
    else:
        age = validating + in_progress * 0.5
    plan = _plan(rng, config, now - age, _log_uniform(rng, 300, 20_000), validating, in_progress, finalizing)
    if status == "cancelling":
        # Someone cancelled it moments ago; real cancels can take minutes to settle.
        plan.cancel(now - 20 * config.time_scale, rng.uniform(120, 300) * config.time_scale)
    return plan


def _plan(
    rng: random.Random,
    config: SimConfig,
    created_at: float,
    total: int,
    validating: float,
    in_progress: float,
    finalizing: float,
) -> BatchPlan:
    workload = rng.choice(WORKLOADS)
    model = rng.choice(workload.models)
    metadata = _metadata(rng, workload, created_at)
    stride = coprime_stride(rng, total)
    return BatchPlan(
        id=hex_id(rng, "batch_"),
        endpoint=workload.endpoint,
        model=model,
        input_file_id=alphanumeric_id(rng, "file-"),
        output_file_id=alphanumeric_id(rng, "file-"),
        error_file_id=alphanumeric_id(rng, "file-"),
        completion_window="24h",
        created_at=created_at,
        total=total,
        validating_seconds=validating,
        in_progress_seconds=in_progress,
        finalizing_seconds=finalizing,
        failure_rate=rng.uniform(0.001, 0.04),
        tokens=_tokens(rng, workload),
        metadata=metadata,
        seed=rng.getrandbits(32),
        custom_id_prefix=workload.custom_id_prefix,
        input_filename=f"{workload.project}-{time.strftime('%Y-%m-%d', time.gmtime(created_at))}.jsonl",
        cancel_seconds=config.cancel_seconds,
        order_stride=stride,
        order_offset=rng.randrange(total),
    )


def _metadata(rng: random.Random, workload: Workload, created_at: float) -> dict[str, str] | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.12:
        return {}
    day = time.strftime("%Y-%m-%d", time.gmtime(created_at))
    metadata = {"project": workload.project, "owner": rng.choice(OWNERS), "run": f"{day}-{rng.choice('abc')}"}
    if roll > 0.8:
        metadata["description"] = rng.choice(DESCRIPTIONS)
    return metadata


def tokens_for(endpoint: str, model: str | None, rng: random.Random) -> TokensPerRequest:
    """Plausible per-request token counts for a batch a client created."""
    workload = next((w for w in WORKLOADS if w.endpoint == endpoint and model in w.models), None)
    if workload is None:
        workload = next((w for w in WORKLOADS if w.endpoint == endpoint), WORKLOADS[0])
    reasoning = workload.reasoning or (model or "").startswith(("o1", "o3", "o4", "gpt-5"))
    return _tokens(rng, dataclasses.replace(workload, reasoning=reasoning))


def _tokens(rng: random.Random, workload: Workload) -> TokensPerRequest:
    input_tokens = rng.randint(*workload.input_tokens)
    output_tokens = rng.randint(*workload.output_tokens)
    chat_like = workload.endpoint in {"/v1/chat/completions", "/v1/responses"}
    return TokensPerRequest(
        input=input_tokens,
        cached=int(input_tokens * rng.uniform(0, 0.6)) if chat_like else 0,
        output=output_tokens,
        reasoning=int(output_tokens * rng.uniform(0.4, 0.8)) if workload.reasoning else 0,
    )


def _validation_errors(rng: random.Random, model: str | None) -> list[dict]:
    if rng.random() < 0.5:
        return [
            {
                "code": "token_limit_exceeded",
                "message": f"Enqueued token limit reached for {model} in organization "
                f"org-{alphanumeric_id(rng, '', 24)}. Limit: 2,000,000 enqueued tokens. Please try again "
                "once some in_progress batches have been completed.",
                "param": None,
                "line": None,
            }
        ]
    return [
        {
            "code": "invalid_request",
            "message": f"The model '{model}-preview' does not exist or you do not have access to it.",
            "param": "body.model",
            "line": rng.randint(1, 40),
        },
        {
            "code": "duplicate_custom_id",
            "message": "The custom_id for this request is a duplicate of another request.",
            "param": "custom_id",
            "line": rng.randint(41, 90),
        },
    ]


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def coprime_stride(rng: random.Random, total: int) -> int:
    if total <= 2:
        return 1
    while True:
        stride = rng.randrange(2, total)
        if math.gcd(stride, total) == 1:
            return stride
