"""1. Start to first painted page: from process start until the first page's rows are on a real terminal.

batchtui runs on a pseudo-terminal of fixed size against the simulator (its own process); the clock
stops when the bytes of the newest batch's id reach the terminal. The floor and the official SDK
run on the same terminal and stop the clock the same way, by printing that id. Every run starts
with an empty cache folder, so batchtui starts as on first use, its page from the network (a warm
index is figure 7's).
"""

from __future__ import annotations

import tempfile

from bench.environment import API_KEY, BENCH, Context
from bench.processes import PtySession, batch_ids, screen_needle, simulator
from bench.report import Figure, Section
from bench.stats import ratios

TITLE = "1. Start to first painted page"
DRIVERS = BENCH / "drivers"


def run(context: Context) -> Section:
    section = Section("startup", TITLE)
    rounds = context.pick(7, 3)
    with simulator(context.project_python, env=context.env()) as base_url:
        first_id = batch_ids(base_url, 20)[0]
        env = context.env(OPENAI_BASE_URL=base_url, OPENAI_API_KEY=API_KEY)
        python = str(context.project_python)
        sides = {
            "batchtui": (context.batchtui, screen_needle(first_id)),
            "floor": ([python, str(DRIVERS / "floor_start.py")], first_id.encode()),
            "floor_app": ([python, str(DRIVERS / "floor_start.py"), "--textual-app"], first_id.encode()),
        }
        if context.sdk_python is not None:
            sides["sdk"] = ([str(context.sdk_python), str(DRIVERS / "sdk_start.py")], first_id.encode())
        else:
            section.notes.append("the official SDK baseline was skipped: bench/.venv could not be built.")
        names = list(sides)
        context.say(f"warm-up, then {rounds} interleaved rounds of {', '.join(names)}")
        for name in names:  # warm-up: every side starts from the same warm page cache and bytecode
            _time_to_screen(*sides[name], env)
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                times[name].append(_time_to_screen(*sides[name], env))

    section.add(Figure("startup.batchtui", "batchtui: first page on screen", "ms", times["batchtui"]))
    section.add(Figure("startup.floor", "floor: import textual+httpx+pydantic, one GET", "ms", times["floor"]))
    section.add(Figure("startup.floor_app", "floor + import textual.app", "ms", times["floor_app"]))
    if "sdk" in times:
        section.add(Figure("startup.sdk", "official SDK: batches.list(limit=20)", "ms", times["sdk"]))
    to_floor = section.add(
        Figure("startup.ratio_floor", "batchtui / floor", "x", ratios(times["batchtui"], times["floor"]))
    )
    to_floor.judge("≤ 1.5×", to_floor.summary.median <= 1.5)
    section.add(
        Figure(
            "startup.ratio_floor_app",
            "batchtui / (floor + textual.app)",
            "x",
            ratios(times["batchtui"], times["floor_app"]),
        )
    )
    if "sdk" in times:
        to_sdk = section.add(
            Figure("startup.ratio_sdk", "batchtui / official SDK", "x", ratios(times["batchtui"], times["sdk"]))
        )
        to_sdk.judge("< 1×", to_sdk.summary.median < 1.0)
    section.notes.append(
        f"{context.pick(7, 3)} rounds, sides interleaved in rotating order, after one discarded warm-up run each; "
        "terminal 120×40; ratios are per round."
    )
    return section


def _time_to_screen(argv: list[str], needle: bytes, env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="batchtui-bench-cache-") as cache:
        session = PtySession(argv, {**env, "BATCHTUI_CACHE_DIR": cache})
        try:
            return (session.wait_for(needle, timeout=30) - session.started) * 1000
        finally:
            session.close()
