"""3. Idle cost: CPU time and resident memory of the real batchtui process while it watches.

batchtui runs on a pseudo-terminal (default refresh, 5 s) whose output is read continuously, as a
terminal would. Its CPU time comes from /proc/PID/stat and its memory from /proc/PID/status, sampled
every second after the first page is on screen and a few seconds have passed.
"""

from __future__ import annotations

import time

from bench.environment import API_KEY, Context
from bench.processes import PtySession, account_server, batch_ids, cpu_seconds, memory_kib, screen_needle, simulator
from bench.report import Figure, Section
from bench.stats import slope_per_minute

TITLE = "3. Idle cost"
SETTLE_SECONDS = 5.0  # start-up allocations (caches filling, first layouts) are over by then
CPU_GOAL_PERCENT = 1.0
# Flat: at this slope, an hour of watching would add at most 2 MiB.
FLAT_KIB_PER_MINUTE = 2048 / 60
SETTLED_AFTER_SECONDS = 300


def run(context: Context) -> Section:
    section = Section("idle", TITLE)
    seconds = context.idle_seconds or context.pick(60, 15)
    window = context.pick(10, 5)
    scenarios = (
        (
            "still",
            "nothing changing",
            lambda: account_server(context.project_python, "--terminal", "60", env=context.env()),
        ),
        ("live", "progress changing (demo account)", lambda: simulator(context.project_python, env=context.env())),
    )
    for key, label, start_server in scenarios:
        context.say(f"{label}: watching for {seconds} s")
        with start_server() as base_url:
            samples = _watch(context, base_url, seconds)
        cpu = [
            (later[1] - earlier[1]) / (later[0] - earlier[0]) * 100
            for earlier, later in zip(samples[::window], samples[window::window], strict=False)
        ]
        times = [sample[0] for sample in samples]
        rss = [sample[2] / 1024 for sample in samples]
        slope = slope_per_minute(times, [sample[2] for sample in samples])
        overall = (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0]) * 100
        cpu_figure = section.add(
            Figure(
                f"idle.{key}.cpu", f"{label}: CPU, % of one core", "%", cpu, note=f"{overall:.2f}% over the whole watch"
            )
        )
        cpu_figure.judge(f"< {CPU_GOAL_PERCENT:g}%", cpu_figure.summary.median < CPU_GOAL_PERCENT)
        section.add(Figure(f"idle.{key}.rss", f"{label}: resident memory", "MiB", rss))
        growth = samples[-1][2] - samples[0][2]
        section.add(
            Figure(
                f"idle.{key}.rss_slope",
                f"{label}: memory slope",
                "KiB/min",
                [slope],
                note=f"{len(samples)} samples; {growth:+d} KiB from first to last",
            )
        ).judge("flat", abs(slope) <= FLAT_KIB_PER_MINUTE)
        if seconds >= SETTLED_AFTER_SECONDS * 2:
            # Render caches fill to their fixed sizes during the first minutes; what follows is the trend.
            settled = [sample for sample in samples if sample[0] >= SETTLED_AFTER_SECONDS]
            later = slope_per_minute([s[0] for s in settled], [s[2] for s in settled])
            section.add(
                Figure(
                    f"idle.{key}.rss_slope_settled",
                    f"{label}: memory slope after {SETTLED_AFTER_SECONDS // 60} min",
                    "KiB/min",
                    [later],
                    note=f"{settled[-1][2] - settled[0][2]:+d} KiB from minute {SETTLED_AFTER_SECONDS // 60} "
                    f"to minute {seconds // 60}",
                )
            ).judge("flat", abs(later) <= FLAT_KIB_PER_MINUTE)
    section.notes.append(
        f"{seconds} s per account after {SETTLE_SECONDS:g} s of settling; CPU per {window} s window (median and "
        f"spread of the windows); memory sampled every second, slope by least squares; 'flat' means under "
        f"{FLAT_KIB_PER_MINUTE:.0f} KiB/min (2 MiB an hour). 'Nothing changing' is an account of 60 finished batches."
    )
    return section


def _watch(context: Context, base_url: str, seconds: int) -> list[tuple[float, float, int]]:
    """(elapsed seconds, CPU seconds, VmRSS KiB) once a second."""
    needle = screen_needle(batch_ids(base_url, 20)[0])
    env = context.env(OPENAI_BASE_URL=base_url, OPENAI_API_KEY=API_KEY)
    with PtySession(context.batchtui, env) as app:
        app.wait_for(needle, timeout=30)
        app.pump(SETTLE_SECONDS)
        started = time.perf_counter()
        samples = [(0.0, cpu_seconds(app.pid), memory_kib(app.pid)["VmRSS"])]
        for second in range(1, seconds + 1):
            app.pump(started + second - time.perf_counter())
            samples.append((time.perf_counter() - started, cpu_seconds(app.pid), memory_kib(app.pid)["VmRSS"]))
        return samples
