"""7. First page from a warm index, while the server takes 400 ms to answer each list request.

The account (10,000 finished batches) is served by the simulator with every answer 0.4 s late;
batchtui starts on a pseudo-terminal with that account's index already complete, as on any start
after the first. The clock runs from process start until the bytes of the newest batch's id reach
the terminal. Beside it, on the same terminal, against the same slow server and stopped the same
way: the floor (imports textual, httpx and pydantic, one GET, prints the id), the official SDK
listing one page, and batchtui with --no-cache (the page has to wait for the network).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.environment import API_KEY, BENCH, Context
from bench.processes import BenchError, PtySession, account_server, batch_ids, screen_needle
from bench.report import Figure, Section
from bench.stats import ratios
from bench.warm_index import cached_index, install, newest_id

TITLE = "7. First page from a warm index (server 400 ms)"
BATCHES = 10_000
DELAY_SECONDS = 0.4
DRIVERS = BENCH / "drivers"


def run(context: Context) -> Section:
    section = Section("warm", TITLE)
    rounds = context.pick(7, 2)
    index = cached_index(BATCHES, say=context.say)
    first_id = newest_id(index)
    python = str(context.project_python)
    server = account_server(
        context.project_python, "--index", str(index), "--delay", str(DELAY_SECONDS), env=context.env()
    )
    with tempfile.TemporaryDirectory(prefix="batchtui-bench-cache-") as cache, server as base_url:
        if batch_ids(base_url, 1)[0] != first_id:
            raise BenchError("the server's newest batch is not the index's")
        install(index, Path(cache), base_url)
        env = context.env(OPENAI_BASE_URL=base_url, OPENAI_API_KEY=API_KEY, BATCHTUI_CACHE_DIR=cache)
        sides = {
            "batchtui": (context.batchtui, screen_needle(first_id)),
            "floor": ([python, str(DRIVERS / "floor_start.py")], first_id.encode()),
        }
        if not context.quick:  # for reference only: the quick run leaves it out to stay short
            sides["no_cache"] = ([*context.batchtui, "--no-cache"], screen_needle(first_id))
        if context.sdk_python is not None:
            sides["sdk"] = ([str(context.sdk_python), str(DRIVERS / "sdk_start.py")], first_id.encode())
        else:
            section.notes.append("the official SDK baseline was skipped: bench/.venv could not be built.")
        names = list(sides)
        context.say(f"warm-up, then {rounds} interleaved rounds of {', '.join(names)}")
        for name in names:
            _time_to_screen(*sides[name], env)
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                times[name].append(_time_to_screen(*sides[name], env))

    labels = {
        "batchtui": "batchtui, warm index: first page on screen",
        "no_cache": "batchtui --no-cache: first page on screen",
        "floor": "floor: imports, one GET, print the ids",
        "sdk": "official SDK: batches.list(limit=20)",
    }
    for name in names:
        section.add(Figure(f"warm.{name}", labels[name], "ms", times[name]))
    to_floor = section.add(
        Figure("warm.ratio_floor", "batchtui, warm / floor", "x", ratios(times["batchtui"], times["floor"]))
    )
    to_floor.judge("≤ 1.0×", to_floor.summary.median <= 1.0)
    if "sdk" in times:
        section.add(
            Figure("warm.ratio_sdk", "batchtui, warm / official SDK", "x", ratios(times["batchtui"], times["sdk"]))
        )
    if "no_cache" in times:
        section.add(
            Figure(
                "warm.ratio_no_cache",
                "batchtui, warm / batchtui --no-cache",
                "x",
                ratios(times["batchtui"], times["no_cache"]),
            )
        )
    section.notes.append(
        f"an account of {BATCHES:,} finished batches, every request answered {DELAY_SECONDS * 1000:.0f} ms late "
        "(the simulator's slow fault at a fixed delay); the index is the one a complete history walk leaves "
        f"(bench/warm_index.py), and batchtui's later starts reuse it, as a user's do; {rounds} rounds, sides "
        "interleaved in rotating order after one warm-up run each; terminal 120×40; ratios are per round."
    )
    return section


def _time_to_screen(argv: list[str], needle: bytes, env: dict[str, str]) -> float:
    session = PtySession(argv, env)
    try:
        return (session.wait_for(needle, timeout=30) - session.started) * 1000
    finally:
        session.close()
