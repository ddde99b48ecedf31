"""10. Start-up with 100,000 batches indexed: time to the first page and peak memory, against an empty index.

batchtui starts on a pseudo-terminal against a server holding an account of 100,000 finished
batches, once with that account's complete index (bench/warm_index.py; its page comes from the
index) and once with an empty cache folder (the index is created and the page comes from the
network), and with --no-cache for reference. The clock stops when the newest batch's id reaches
the terminal; the process's peak resident memory (VmHWM) is read a moment later, once the start-up
work is over (the index opened and counted, page 1 fetched and recorded, the walks planned).
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from bench.environment import API_KEY, Context
from bench.processes import PtySession, account_server, memory_kib, screen_needle
from bench.report import Figure, Section
from bench.stats import ratios
from bench.warm_index import cached_index, install, newest_id

TITLE = "10. Start-up with 100,000 batches indexed"
GOAL_MIB = 20.0
HOLD_SECONDS = 2.0  # after the first page: the rest of the start-up (refresh, recording, planning) is done by then


def run(context: Context) -> Section:
    batches = context.pick(100_000, 20_000)
    section = Section("index", TITLE if batches == 100_000 else TITLE.replace("100,000", f"{batches:,}"))
    rounds = context.pick(7, 2)
    index = cached_index(batches, say=context.say)
    first_id = newest_id(index)
    needle = screen_needle(first_id)
    server = account_server(context.project_python, "--index", str(index), env=context.env())
    with tempfile.TemporaryDirectory(prefix="batchtui-bench-cache-") as full_cache, server as base_url:
        install(index, Path(full_cache), base_url)
        env = context.env(OPENAI_BASE_URL=base_url, OPENAI_API_KEY=API_KEY)
        sides = {
            "full": (context.batchtui, lambda: contextlib.nullcontext(full_cache)),
            "empty": (context.batchtui, lambda: tempfile.TemporaryDirectory(prefix="batchtui-bench-cache-")),
        }
        if not context.quick:  # for reference only: the quick run leaves it out to stay short
            sides["no_cache"] = ([*context.batchtui, "--no-cache"], lambda: contextlib.nullcontext(full_cache))
        names = list(sides)

        def measure(name: str) -> tuple[float, float]:
            argv, cache_folder = sides[name]
            with cache_folder() as cache, PtySession(argv, {**env, "BATCHTUI_CACHE_DIR": cache}) as app:
                shown = app.wait_for(needle, timeout=60)
                app.pump(HOLD_SECONDS)
                peak = memory_kib(app.pid)["VmHWM"]
            return (shown - app.started) * 1000, peak / 1024

        context.say(f"{'' if context.quick else 'warm-up, then '}{rounds} interleaved rounds of {', '.join(names)}")
        for name in names if not context.quick else ():
            measure(name)
        times: dict[str, list[float]] = {name: [] for name in names}
        peaks: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                took, peak = measure(name)
                times[name].append(took)
                peaks[name].append(peak)

    labels = {
        "full": f"{batches:,} indexed",
        "empty": "empty index",
        "no_cache": "--no-cache",
    }
    for name in names:
        section.add(Figure(f"index.{name}.first_page", f"{labels[name]}: first page on screen", "ms", times[name]))
    section.add(
        Figure("index.ratio_time", f"{labels['full']} / empty index: time", "x", ratios(times["full"], times["empty"]))
    )
    for name in names:
        section.add(Figure(f"index.{name}.peak_rss", f"{labels[name]}: peak RSS", "MiB", peaks[name]))
    growth = section.add(
        Figure(
            "index.rss_growth",
            f"{labels['full']} minus empty index: peak RSS",
            "MiB",
            [full - empty for full, empty in zip(peaks["full"], peaks["empty"], strict=True)],
        )
    )
    growth.judge(f"≤ +{GOAL_MIB:.0f} MiB", growth.summary.median <= GOAL_MIB)
    warm_up = "" if context.quick else " after one warm-up each"
    section.notes.append(
        f"an account of {batches:,} finished batches served by the simulator (no delay), its index a "
        f"{index.stat().st_size / 2**20:.0f} MiB file; peak RSS is the process's VmHWM {HOLD_SECONDS:g} s after the "
        f"first page; {rounds} rounds{warm_up}, sides interleaved in rotating order, differences and "
        "ratios per round. The empty side starts with a new cache folder each time (so its history walk has just "
        "begun); the indexed side reuses one copy of the index, as a user's later starts do."
    )
    return section
