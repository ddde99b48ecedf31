"""5. History at scale: walking an account of 10,000 batches, 100 per page.

The simulator (its own process) serves the account; each client runs in its own process and times
only the walk (the client is built before the clock starts). Peak memory is the process's VmHWM,
from the kernel when it exits. The floor is the standard library alone (one keep-alive connection,
json.loads), which shows how much of the time is the server's.
"""

from __future__ import annotations

from bench.environment import API_KEY, BENCH, Context
from bench.processes import BenchError, run_child, simulator
from bench.report import Figure, Section
from bench.stats import ratios

TITLE = "5. History at scale (10,000 batches)"
BATCHES = 10_000
LIMIT = 100
DRIVERS = BENCH / "drivers"


def run(context: Context) -> Section:
    section = Section("history", TITLE)
    rounds = context.pick(5, 2)
    python = str(context.project_python)
    with simulator(context.project_python, "--count", str(BATCHES), env=context.env()) as base_url:
        common = [base_url, API_KEY, str(LIMIT)]
        sides = {
            "batchtui": [python, str(DRIVERS / "history_batchtui.py"), *common],
            "floor": [python, str(DRIVERS / "history_floor.py"), *common],
        }
        if context.sdk_python is not None:
            sdk = str(context.sdk_python)
            sides["sdk_sync"] = [sdk, str(DRIVERS / "history_sdk.py"), "sync", *common]
            sides["sdk_async"] = [sdk, str(DRIVERS / "history_sdk.py"), "async", *common]
        else:
            section.notes.append("the official SDK baselines were skipped: bench/.venv could not be built.")
        names = list(sides)
        context.say(f"warm-up, then {rounds} interleaved rounds of {', '.join(names)}")
        for name in names:
            _walk(sides[name], context)
        seconds: dict[str, list[float]] = {name: [] for name in names}
        peak: dict[str, list[float]] = {name: [] for name in names}
        growth: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                took, peak_kib, before_kib = _walk(sides[name], context)
                seconds[name].append(took)
                peak[name].append(peak_kib / 1024)
                growth[name].append(max(0, peak_kib - before_kib) / 1024)

    labels = {
        "batchtui": "batchtui: BatchClient.iter_batches",
        "sdk_sync": "official SDK, sync auto-paging",
        "sdk_async": "official SDK, async auto-paging",
        "floor": "floor: http.client + json.loads",
    }
    for name in names:
        section.add(Figure(f"history.{name}.seconds", f"{labels[name]}: time", "s", seconds[name]))
    for name in ("sdk_sync", "sdk_async"):
        if name in seconds:
            ratio = section.add(
                Figure(
                    f"history.ratio_{name}",
                    f"batchtui / {labels[name]}",
                    "x",
                    ratios(seconds["batchtui"], seconds[name]),
                )
            )
            ratio.judge("≤ 1×", ratio.summary.median <= 1.0)
    for name in names:
        section.add(
            Figure(
                f"history.{name}.peak_rss",
                f"{labels[name]}: peak RSS",
                "MiB",
                peak[name],
                note=f"growth during the walk: {sorted(growth[name])[len(growth[name]) // 2]:.1f} MiB (median)",
            )
        )
    section.notes.append(
        f"{rounds} rounds after one warm-up each, sides interleaved in rotating order; the walk keeps nothing "
        "(each batch is counted and dropped); peak RSS includes the interpreter and imports, see the JSON for "
        "the growth during the walk."
    )
    return section


def _walk(argv: list[str], context: Context) -> tuple[float, int, int]:
    """(seconds, peak RSS KiB, RSS before the walk KiB)."""
    child = run_child(argv, context.env(), timeout=300)
    report = child.report()
    if report["batches"] != BATCHES:
        raise BenchError(f"{argv[1]} saw {report['batches']} batches, not {BATCHES}")
    return report["seconds"], child.peak_rss_kib, report["rss_before_kib"]
