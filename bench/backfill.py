"""9. Full backfill: an empty index filled with an account of 10,000 batches, requests and time.

The simulator runs in this process, so its request log counts what reached the server during each
walk. batchtui's side is the app's own history walk (`History.walk` with the real `BatchClient`,
bench/drivers/backfill_batchtui.py) from an empty index until it says every batch is in; beside it,
the official SDK iterating the same list (auto-paging, limit=100), and batchtui's service layer
listing it without an index (`BatchClient.iter_batches`). The walk paces itself at one request a
second by design, so it runs twice: as the app runs it (once), and with its waits skipped, which
is the figure to compare with the SDK.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from batchtui.sim import SimConfig, Simulator
from bench.environment import API_KEY, BENCH, ROOT, Context
from bench.processes import BenchError
from bench.report import Figure, Section
from bench.stats import ratios

TITLE = "9. Full backfill (10,000 batches)"
LIMIT = 100
DRIVERS = BENCH / "drivers"


def run(context: Context) -> Section:
    batches = context.pick(10_000, 500)
    section = Section("backfill", TITLE if batches == 10_000 else TITLE.replace("10,000", f"{batches:,}"))
    rounds = context.pick(5, 2)
    python = str(context.project_python)
    simulator = Simulator(SimConfig(batch_count=batches, api_key=API_KEY))
    with simulator, tempfile.TemporaryDirectory(prefix="batchtui-bench-index-") as scratch:
        base_url = simulator.base_url
        walker = [python, str(DRIVERS / "backfill_batchtui.py"), base_url, API_KEY]
        sides = {
            "walk": [*walker, "{index}", "unpaced"],
            "iterate": [python, str(DRIVERS / "history_batchtui.py"), base_url, API_KEY, str(LIMIT)],
        }
        if context.sdk_python is not None:
            sides["sdk"] = [
                str(context.sdk_python),
                str(DRIVERS / "history_sdk.py"),
                "sync",
                base_url,
                API_KEY,
                str(LIMIT),
            ]
        else:
            section.notes.append("the official SDK baseline was skipped: bench/.venv could not be built.")
        names = list(sides)

        def measure(argv: list[str]) -> dict:
            index = Path(tempfile.mkdtemp(dir=scratch)) / "index.sqlite3"
            simulator.clear_requests()
            report = _run([part.replace("{index}", str(index)) for part in argv], context)
            requests = simulator.requests
            report["requests"] = len(requests)
            report["list_requests"] = sum(1 for r in requests if r.method == "GET" and r.path.endswith("/batches"))
            if report["batches"] != batches or not report.get("complete", True):
                raise BenchError(f"{argv[1]} ended with {report['batches']} of {batches} batches: {report}")
            return report

        context.say(f"warm-up, then {rounds} interleaved rounds of {', '.join(names)}")
        for name in names:
            measure(sides[name])
        reports: dict[str, list[dict]] = {name: [] for name in names}
        for round_number in range(rounds):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                reports[name].append(measure(sides[name]))
        context.say(f"the walk as the app runs it, paced (about {batches // LIMIT} s)")
        paced = measure([*walker, "{index}", "paced"])

    labels = {
        "walk": "batchtui History.walk, waits skipped",
        "iterate": "batchtui BatchClient.iter_batches, no index",
        "sdk": "official SDK, sync auto-paging",
    }
    seconds = {name: [report["seconds"] for report in reports[name]] for name in names}
    section.add(
        Figure("backfill.paced.seconds", "batchtui History.walk, paced as in the app: time", "s", [paced["seconds"]])
    )
    for name in names:
        section.add(Figure(f"backfill.{name}.seconds", f"{labels[name]}: time", "s", seconds[name]))
    if "sdk" in seconds:
        section.add(
            Figure("backfill.ratio_sdk", f"{labels['walk']} / SDK", "x", ratios(seconds["walk"], seconds["sdk"]))
        )
    section.add(
        Figure(
            "backfill.ratio_iterate",
            f"{labels['walk']} / iter_batches (the index's share)",
            "x",
            ratios(seconds["walk"], seconds["iterate"]),
        )
    )
    requests = {name: [float(report["requests"]) for report in reports[name]] for name in names}
    paced_requests = section.add(
        Figure("backfill.paced.requests", "batchtui History.walk, paced: requests", "req", [float(paced["requests"])])
    )
    section.add(Figure("backfill.walk.requests", f"{labels['walk']}: requests", "req", requests["walk"]))
    if "sdk" in requests:
        sdk = section.add(Figure("backfill.sdk.requests", f"{labels['sdk']}: requests", "req", requests["sdk"]))
        paced_requests.judge("≤ SDK's", paced["requests"] <= min(sdk.values))
    for name in names:
        peaks = [report["peak_kib"] / 1024 for report in reports[name]]
        section.add(Figure(f"backfill.{name}.peak_rss", f"{labels[name]}: peak RSS", "MiB", peaks))
    section.notes.append(
        f"{batches:,} batches, {LIMIT} per page; each side is its own process against the simulator in the runner's "
        f"process, whose request log gives the requests; {rounds} rounds after one warm-up each, sides interleaved in "
        "rotating order, each walk into a new empty index. batchtui's walk asks for at most one page a second by "
        "design (gentle on the account's rate limit, never in the way of the visible page): the paced figure is what "
        "a user waits, once; 'waits skipped' gives the walk a sleep that returns at once and a clock that jumps over "
        "the wait, so it is the requests plus writing every batch into SQLite (FTS5 included), against an SDK that "
        "only iterates. iter_batches shows the same requests without the index."
    )
    return section


def _run(argv: list[str], context: Context) -> dict:
    """Run a driver to the end (no polling here: the simulator's threads share this process) and read its report."""
    result = subprocess.run(argv, capture_output=True, text=True, env=context.env(), cwd=ROOT, timeout=900)
    if result.returncode != 0:
        raise BenchError(f"{Path(argv[1]).name} failed ({result.returncode}): {result.stderr[-800:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
