"""The seeded account: weeks or months of batch history plus the batches running right now.

Everything comes from one seeded RNG and the clock's start, so a seed always gives the same account.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from batchtui.sim.config import SimConfig
from batchtui.sim.ids import alphanumeric_id, hex_id
from batchtui.sim.lifecycle import BatchPlan, TokensPerRequest

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
MAX_REQUESTS = 50_000  # the API's limit per batch
FINE_TUNED_TRIAGE = "ft:gpt-4o-mini-2024-07-18:acme:triage-v3:B7xq2LmA"


@dataclass(frozen=True)
class Workload:
    project: str
    endpoint: str
    models: tuple[str, ...]
    custom_id_prefix: str
    requests: tuple[int, int]  # batch sizes, drawn log-uniformly
    input_tokens: tuple[int, int]  # per request
    output_tokens: tuple[int, int]
    owners: tuple[str, ...]
    descriptions: tuple[str, ...]
    weight: int  # share of the account's batches
    nightly: bool = False  # a scheduled job, created around 02:00 UTC rather than in office hours

    @property
    def run_prefix(self) -> str:
        return self.project.split("-")[0]


WORKLOADS = (
    Workload(
        "invoice-extraction",
        "/v1/chat/completions",
        ("gpt-4.1", "gpt-4.1-mini"),
        "invoice",
        (200, 20_000),
        (1500, 6000),
        (120, 600),
        ("ana", "farid"),
        ("supplier invoices from the shared inbox", "re-run after the VAT field fix", "credit notes and refunds"),
        18,
    ),
    Workload(
        "support-triage",
        "/v1/chat/completions",
        ("gpt-4o-mini", "gpt-4.1-nano", FINE_TUNED_TRIAGE),
        "ticket",
        (500, 12_000),
        (250, 900),
        (30, 200),
        ("bo", "gabi"),
        ("overnight ticket backlog", "language detection and routing", "re-label with the v3 taxonomy"),
        22,
    ),
    Workload(
        "catalog-embeddings",
        "/v1/embeddings",
        ("text-embedding-3-large", "text-embedding-3-small"),
        "sku",
        (2_000, MAX_REQUESTS),
        (60, 600),
        (0, 0),
        ("chen", "dara"),
        ("new products from the supplier feed", "re-embed titles and descriptions", "daily price changes"),
        14,
    ),
    Workload(
        "eval-suite",
        "/v1/responses",
        ("o4-mini", "o3", "gpt-4.1", "gpt-4.1-mini"),
        "case",
        (100, 5_000),
        (400, 3000),
        (200, 2500),
        ("eli", "chen"),
        ("nightly regression suite", "math and code reasoning set", "refusal and safety checks"),
        16,
        nightly=True,
    ),
    Workload(
        "call-summaries",
        "/v1/chat/completions",
        ("gpt-4.1-mini", "gpt-4o"),
        "call",
        (100, 8_000),
        (2000, 9000),
        (150, 500),
        ("ana", "ivo"),
        ("sales call summaries", "action items for the CRM", "churn-risk notes"),
        12,
    ),
    Workload(
        "content-moderation",
        "/v1/moderations",
        ("omni-moderation-latest",),
        "post",
        (1_000, MAX_REQUESTS),
        (30, 400),
        (0, 0),
        ("bo",),
        ("user reviews before publishing", "forum backlog scan"),
        8,
    ),
    Workload(
        "legacy-autocomplete",
        "/v1/completions",
        ("gpt-3.5-turbo-instruct",),
        "prompt",
        (50, 3_000),
        (50, 300),
        (5, 60),
        ("ivo",),
        ("old autocomplete prompts, kept for comparison",),
        3,
    ),
)
_BY_PROJECT = {workload.project: workload for workload in WORKLOADS}
ENVIRONMENTS = {"prod": 75, "staging": 15, "dev": 10}


@dataclass(frozen=True)
class Showpiece:
    """A batch running at the clock's start in the demo: its pace is fixed so every run tells the same story."""

    description: str  # holds a word no other batch's metadata has, so a search finds it
    project: str
    model: str
    total: int
    age: float  # created this long before the clock's start
    validating: float
    in_progress: float = 0.0
    finalizing: float = 0.0
    cancelled_ago: float | None = None  # someone asked to cancel it this long before the clock's start
    cancel_seconds: float = 0.0


# Seconds of wall time (times config.time_scale); the rates differ from 7 to 1,200 requests a minute.
SHOWPIECES = (
    # Finish within the first five minutes of watching.
    Showpiece(
        "morning sweep of new tickets",
        "support-triage",
        "gpt-4o-mini",
        2_400,
        age=20 + 6 * MINUTE,
        validating=20,
        in_progress=8 * MINUTE,
        finalizing=15,
    ),
    Showpiece(
        "supplier feed, new arrivals",
        "catalog-embeddings",
        "text-embedding-3-small",
        18_000,
        age=45 + 11 * MINUTE,
        validating=45,
        in_progress=15 * MINUTE,
        finalizing=20,
    ),
    Showpiece(
        "smoke test for the new prompt",
        "eval-suite",
        "gpt-4.1-mini",
        600,
        age=15,
        validating=40,
        in_progress=3 * MINUTE,
        finalizing=15,
    ),
    Showpiece(
        "month-end invoices",
        "invoice-extraction",
        "gpt-4.1",
        3_200,
        age=42 * MINUTE + 30,
        validating=30,
        in_progress=40 * MINUTE,
        finalizing=3 * MINUTE,
    ),
    Showpiece(
        "sales calls, wrong model",
        "call-summaries",
        "gpt-4o",
        5_000,
        age=25 * MINUTE + 30,
        validating=30,
        in_progress=2 * HOUR,
        finalizing=2 * MINUTE,
        cancelled_ago=30,
        cancel_seconds=150,
    ),
    # Run for the next half hour to five hours.
    Showpiece(
        "weekend queue labels",
        "support-triage",
        "gpt-4.1-nano",
        30_000,
        age=21 * MINUTE,
        validating=MINUTE,
        in_progress=50 * MINUTE,
        finalizing=2 * MINUTE,
    ),
    Showpiece(
        "visual search captions",
        "catalog-embeddings",
        "text-embedding-3-large",
        MAX_REQUESTS,
        age=2 * MINUTE + 2.5 * HOUR,
        validating=2 * MINUTE,
        in_progress=6 * HOUR,
        finalizing=5 * MINUTE,
    ),
    Showpiece(
        "hard reasoning set",
        "eval-suite",
        "o4-mini",
        4_000,
        age=MINUTE + HOUR,
        validating=MINUTE,
        in_progress=6 * HOUR,
        finalizing=2 * MINUTE,
    ),
    # Created the day before, pages down the list: one finishes in time, one runs out of its 24 h window.
    Showpiece(
        "fine-tuned triage, slow lane",
        "support-triage",
        FINE_TUNED_TRIAGE,
        9_000,
        age=20 * HOUR,
        validating=3 * MINUTE,
        in_progress=21.5 * HOUR,
        finalizing=5 * MINUTE,
    ),
    Showpiece(
        "long-context retrieval, all 40k cases",
        "eval-suite",
        "o3",
        40_000,
        age=20.5 * HOUR,
        validating=5 * MINUTE,
        in_progress=45 * HOUR,
    ),
    # Stuck: still validating after two hours, and it never will be done.
    Showpiece(
        "Porto office scans",
        "invoice-extraction",
        "gpt-4.1-mini",
        12_000,
        age=2 * HOUR + 10 * MINUTE,
        validating=math.inf,
    ),
)

# Findable by one word, weeks back: (share of the history's span ago, project, status, description).
LANDMARKS = (
    (0.27, "support-triage", "completed", "holiday backlog, tagged for the retro"),
    (0.38, "catalog-embeddings", "failed", "re-embed after the schema change"),
    (0.52, "invoice-extraction", "completed", "reprocess the Lisbon office scans"),
    (0.60, "call-summaries", "expired", "quarterly review calls, too many for one window"),
    (0.80, "eval-suite", "completed", "baseline before the tokenizer migration"),
)

# Statuses the small account shows at the clock's start, most important first when the account is small.
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
_FINISHED = ("completed", "failed", "expired", "cancelled")
_HISTORY_WEIGHTS = {"completed": 82, "failed": 7, "expired": 4, "cancelled": 7}
_NEWEST_FINISHED = 30 * MINUTE  # the youngest finished batch had time to run


def seeded_plans(config: SimConfig, now: float) -> list[BatchPlan]:
    """`config.batch_count` plans, oldest first."""
    rng = random.Random(f"history:{config.seed}")
    count = config.batch_count
    if config.showcase:
        plans = [_showpiece_plan(piece, config, now, rng) for piece in SHOWPIECES][:count]
        plans += _split_run(config, now, rng)[: count - len(plans)]
        statuses = list(_FINISHED)
    else:
        plans = []
        statuses = list(_GUARANTEED)
    statuses = statuses[: count - len(plans)]
    running = {"validating": 0, "in_progress": 0}
    for status in statuses:
        nth = running.get(status, 0)
        running[status] = nth + 1
        plans.append(_plan_showing(status, nth, config, now, rng))
    for share, project, status, description in LANDMARKS[: count - len(plans)]:
        workload = _BY_PROJECT[project]
        created_at = _same_day_at(now - share * config.history_days * DAY, _office_time(rng), now)
        plans.append(_finished_plan(status, workload, created_at, config, now, rng, description))
    weights = [workload.weight for workload in WORKLOADS]
    for _ in range(count - len(plans)):
        status = rng.choices(list(_HISTORY_WEIGHTS), weights=list(_HISTORY_WEIGHTS.values()))[0]
        workload = rng.choices(WORKLOADS, weights=weights)[0]
        plans.append(_finished_plan(status, workload, _history_moment(rng, workload, config, now), config, now, rng))
    return sorted(plans, key=lambda plan: plan.created_at)


def arrival_plan(config: SimConfig, created_at: float, rng: random.Random) -> BatchPlan:
    """A batch someone else just created, running at the live pace."""
    workload = rng.choice(WORKLOADS)
    return _plan(rng, config, workload, created_at, _batch_size(rng, workload), live_durations(config, rng))


def live_durations(config: SimConfig, rng: random.Random) -> tuple[float, float, float]:
    scale = config.time_scale
    return (
        config.validating_seconds * scale,
        rng.uniform(*config.in_progress_seconds) * scale,
        config.finalizing_seconds * scale,
    )


def _plan_showing(status: str, nth: int, config: SimConfig, now: float, rng: random.Random) -> BatchPlan:
    """A plan whose state at `now` is `status`."""
    workload = rng.choice(WORKLOADS)
    if status in _FINISHED:
        return _finished_plan(status, workload, _history_moment(rng, workload, config, now), config, now, rng)
    validating, in_progress, finalizing = live_durations(config, rng)
    if status == "validating":
        age = validating * (0.2 + 0.5 * nth)
    elif status == "in_progress":
        age = validating + in_progress * min(0.9, 0.15 + 0.3 * nth)
    elif status == "finalizing":
        age = validating + in_progress + finalizing * 0.3
    else:
        age = validating + in_progress * 0.5
    total = _log_uniform(rng, 300, 20_000)
    plan = _plan(rng, config, workload, now - age, total, (validating, in_progress, finalizing))
    if status == "cancelling":
        # Someone cancelled it moments ago; real cancels can take minutes to settle.
        plan.cancel(now - 20 * config.time_scale, rng.uniform(120, 300) * config.time_scale)
    return plan


def _showpiece_plan(piece: Showpiece, config: SimConfig, now: float, rng: random.Random) -> BatchPlan:
    scale = config.time_scale
    workload = _BY_PROJECT[piece.project]
    durations = (piece.validating * scale, piece.in_progress * scale, piece.finalizing * scale)
    created_at = now - piece.age * scale
    metadata = _project_metadata(rng, workload, created_at, piece.description) | {"env": "prod"}
    plan = _plan(rng, config, workload, created_at, piece.total, durations, model=piece.model, metadata=metadata)
    if piece.cancelled_ago is not None:
        plan.cancel(now - piece.cancelled_ago * scale, piece.cancel_seconds * scale)
    return plan


def _split_run(config: SimConfig, now: float, rng: random.Random) -> list[BatchPlan]:
    """One evening's job cut into batches at the request limit: a page of look-alikes above the deep ones."""
    workload = _BY_PROJECT["catalog-embeddings"]
    items = 1_773_417
    parts = math.ceil(items / MAX_REQUESTS)
    created_at = now - 16 * HOUR
    run = f"catalog-reembed-{_day(created_at, '%Y%m%d')}"
    plans = []
    for part in range(1, parts + 1):
        created_at += rng.uniform(60, 150)
        total = min(MAX_REQUESTS, items - (part - 1) * MAX_REQUESTS)
        metadata = {
            "project": workload.project,
            "owner": "dara",
            "run": run,
            "env": "prod",
            "description": f"catalog re-embed, part {part} of {parts}",
        }
        # The enqueued-token limit turns some parts away when they are all sent at once.
        status = "failed" if part in {19, 20} else "completed"
        durations = (rng.uniform(60, 240), rng.uniform(25, 70) * MINUTE, rng.uniform(2, 6) * MINUTE)
        plan = _plan(
            rng, config, workload, created_at, total, durations, model="text-embedding-3-large", metadata=metadata
        )
        if status == "failed":
            plan.validation_errors = [_token_limit_error(rng, plan.model)]
        plans.append(plan)
    return plans


def _finished_plan(
    status: str,
    workload: Workload,
    created_at: float,
    config: SimConfig,
    now: float,
    rng: random.Random,
    description: str | None = None,
) -> BatchPlan:
    """A plan that ended with `status` before `now`, paced like a real batch of its size."""
    room = now - created_at - MINUTE
    total = _batch_size(rng, workload)
    validating = rng.uniform(10, 90) + total / 1000 * rng.uniform(1, 6)
    finalizing = rng.uniform(20, 120) + total / 1000 * rng.uniform(2, 10)
    in_progress = min(20 * HOUR, total / rng.uniform(1.5, 30))
    if status == "expired" and room < DAY:
        status = "completed"  # too young to have run out of its window
    if status == "expired":
        # Slow enough that the 24 h window closes with this share of the requests done.
        in_progress = (DAY - validating) / rng.uniform(0.35, 0.9)
    else:
        in_progress = max(MINUTE, min(in_progress, room - validating - max(finalizing, 10 * MINUTE)))
    metadata = _metadata(rng, workload, created_at, description)
    plan = _plan(rng, config, workload, created_at, total, (validating, in_progress, finalizing), metadata=metadata)
    if status == "failed":
        plan.validation_errors = _validation_errors(rng, plan)
    elif status == "cancelled":
        plan.cancel(created_at + validating + in_progress * rng.uniform(0.1, 0.8), rng.uniform(60, 600))
    return plan


def _plan(
    rng: random.Random,
    config: SimConfig,
    workload: Workload,
    created_at: float,
    total: int,
    durations: tuple[float, float, float],
    *,
    model: str | None = None,
    metadata: dict[str, str] | None = None,
) -> BatchPlan:
    model = model or rng.choice(workload.models)
    if metadata is None:
        metadata = _metadata(rng, workload, created_at)
    validating, in_progress, finalizing = durations
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
        tokens=_tokens(rng, workload, model),
        metadata=metadata,
        seed=rng.getrandbits(32),
        custom_id_prefix=workload.custom_id_prefix,
        input_filename=f"{workload.project}-{_day(created_at, '%Y-%m-%d')}.jsonl",
        cancel_seconds=config.cancel_seconds,
        order_stride=coprime_stride(rng, total),
        order_offset=rng.randrange(total),
    )


def _metadata(
    rng: random.Random, workload: Workload, created_at: float, description: str | None = None
) -> dict[str, str] | None:
    roll = rng.random()
    if description is None and roll < 0.05:
        return None
    if description is None and roll < 0.08:
        return {}
    if description is None and roll < 0.11:
        return {"description": rng.choice(workload.descriptions)}  # the key the SDK's own example sets
    if description is None and rng.random() < 0.5:
        description = rng.choice(workload.descriptions)
    metadata = _project_metadata(rng, workload, created_at, description)
    metadata["env"] = rng.choices(list(ENVIRONMENTS), weights=list(ENVIRONMENTS.values()))[0]
    return metadata


def _project_metadata(
    rng: random.Random, workload: Workload, created_at: float, description: str | None
) -> dict[str, str]:
    if workload.nightly and time.gmtime(created_at).tm_hour == 2:
        run = f"nightly-{_day(created_at, '%Y-%m-%d')}"
    else:
        run = f"{workload.run_prefix}-{_day(created_at, '%Y%m%d')}-{rng.randint(1, 4)}"
    metadata = {"project": workload.project, "owner": rng.choice(workload.owners), "run": run}
    if description is not None:
        metadata["description"] = description
    return metadata


def _history_moment(rng: random.Random, workload: Workload, config: SimConfig, now: float) -> float:
    """When a finished batch was created: more often lately (the account grew), on the workload's habits."""
    span = config.history_days * DAY
    while True:
        # The density rises linearly from 1 on the oldest day to 4 today: the inverse of its distribution.
        newness = (math.sqrt(1 + 15 * rng.random()) - 1) / 3
        day = now - span * (1 - newness)
        if workload.nightly:
            moment = _same_day_at(day, 2 * HOUR + rng.uniform(0, 25 * MINUTE), now)
        else:
            moment = _same_day_at(day, _office_time(rng), now)
            if time.gmtime(moment).tm_wday >= 5 and rng.random() < 0.7:
                continue  # weekends are quiet
        if moment >= now - span:
            return moment


def _office_time(rng: random.Random) -> float:
    """Seconds into a day (UTC) when people send batches."""
    return rng.triangular(7, 20, 13) * HOUR


def _same_day_at(moment: float, seconds_into_day: float, now: float) -> float:
    """That time on `moment`'s day, or on the day before when it is too recent for a finished batch."""
    at = _day_start(moment) + seconds_into_day
    return at - DAY if at > now - _NEWEST_FINISHED else at


def _batch_size(rng: random.Random, workload: Workload) -> int:
    if workload.requests[1] == MAX_REQUESTS and rng.random() < 0.15:
        return MAX_REQUESTS  # big jobs are cut at the limit
    return _log_uniform(rng, *workload.requests)


def tokens_for(endpoint: str, model: str | None, rng: random.Random) -> TokensPerRequest:
    """Plausible per-request token counts for a batch a client created."""
    workload = next((w for w in WORKLOADS if w.endpoint == endpoint and model in w.models), None)
    if workload is None:
        workload = next((w for w in WORKLOADS if w.endpoint == endpoint), WORKLOADS[0])
    return _tokens(rng, workload, model)


def _tokens(rng: random.Random, workload: Workload, model: str | None) -> TokensPerRequest:
    input_tokens = rng.randint(*workload.input_tokens)
    output_tokens = rng.randint(*workload.output_tokens)
    chat_like = workload.endpoint in {"/v1/chat/completions", "/v1/responses"}
    reasoning = (model or "").startswith(("o1", "o3", "o4", "gpt-5"))
    return TokensPerRequest(
        input=input_tokens,
        cached=int(input_tokens * rng.uniform(0, 0.6)) if chat_like else 0,
        output=output_tokens,
        reasoning=int(output_tokens * rng.uniform(0.4, 0.8)) if reasoning else 0,
    )


def _validation_errors(rng: random.Random, plan: BatchPlan) -> list[dict]:
    if rng.random() < 0.3:
        return [_token_limit_error(rng, plan.model)]
    field = "input" if plan.endpoint in {"/v1/embeddings", "/v1/moderations", "/v1/responses"} else "messages"
    kinds = [
        (
            "invalid_request",
            f"The model '{plan.model}-preview' does not exist or you do not have access to it.",
            "body.model",
        ),
        ("duplicate_custom_id", "The custom_id for this request is a duplicate of another request.", "custom_id"),
        ("missing_required_parameter", f"Missing required parameter: '{field}'.", f"body.{field}"),
        ("invalid_json", "This line is not valid JSON.", None),
        ("invalid_url", f"The URL provided for this request does not match the batch endpoint {plan.endpoint}.", "url"),
    ]
    lines = sorted(rng.sample(range(1, plan.total + 1), k=min(plan.total, rng.randint(1, 3))))
    errors = []
    for line in lines:
        code, message, param = rng.choice(kinds)
        errors.append({"code": code, "message": message, "param": param, "line": line})
    return errors


def _token_limit_error(rng: random.Random, model: str | None) -> dict:
    return {
        "code": "token_limit_exceeded",
        "message": f"Enqueued token limit reached for {model} in organization "
        f"org-{alphanumeric_id(rng, '', 24)}. Limit: 2,000,000 enqueued tokens. Please try again "
        "once some in_progress batches have been completed.",
        "param": None,
        "line": None,
    }


def _day(moment: float, pattern: str) -> str:
    return time.strftime(pattern, time.gmtime(moment))


def _day_start(moment: float) -> float:
    return math.floor(moment / DAY) * DAY


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def coprime_stride(rng: random.Random, total: int) -> int:
    if total <= 2:
        return 1
    while True:
        stride = rng.randrange(2, total)
        if math.gcd(stride, total) == 1:
            return stride
