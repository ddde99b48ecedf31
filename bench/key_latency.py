"""4. Key latency: from a key press to the terminal receiving the screen update it causes.

batchtui runs on a pseudo-terminal with a 100-row page. For each key the harness waits until the
program has been quiet for a moment, writes the key, and takes two times from the bytes that come
back: when the id of the batch the key moves to arrives (the highlighted row moved, or the new page's
first row is drawn), and when the end of that id arrives, which only the detail pane shows (the table
cell is cut to 20 columns): the screen has caught up with the key. Auto-refresh is set to an hour and
the account holds only finished batches, so nothing else repaints a row during a measurement.
"""

from __future__ import annotations

from pathlib import Path

from bench.environment import API_KEY, Context
from bench.processes import PtySession, account_server, list_batches, screen_needle
from bench.report import Figure, Section
from bench.stats import percentile

TITLE = "4. Key latency (100-row page)"
FRAME_MS = 1000 / 60
DOWN, UP = b"\x1b[B", b"\x1b[A"
KEY_ECHO = Path(__file__).resolve().parent / "drivers" / "key_echo.py"
QUIET_SECONDS = 0.2  # idle this long before each key, so one key's work never overlaps the next


def run(context: Context) -> Section:
    section = Section("keys", TITLE)
    sessions = context.pick(2, 2)
    moves = context.pick(60, 15)
    page_pairs = context.pick(8, 2)
    cursor: list[list[tuple[float, float]]] = []
    paging: list[list[tuple[float, float]]] = []
    floor: list[list[tuple[float, float]]] = []
    with account_server(context.project_python, "--terminal", "300", env=context.env()) as base_url:
        page_one = list_batches(base_url, 100)
        page_two = list_batches(base_url, 100, after=page_one[-1]["id"])
        env = context.env(OPENAI_BASE_URL=base_url, OPENAI_API_KEY=API_KEY)
        argv = [*context.batchtui, "--page-size", "100", "--refresh", "3600"]
        context.say(f"{sessions} sessions of {2 * moves} cursor moves and {page_pairs} n/p pairs")
        for _ in range(sessions):
            with PtySession(argv, env) as app:
                app.wait_for(screen_needle(page_one[0]["id"]), timeout=30)
                app.settle(quiet=0.5, limit=5)
                cursor.append(_walk(app, page_one, moves))
                times = []
                for _ in range(page_pairs):  # the cursor is on the first row, so each page shows its top
                    times.append(_press(app, b"n", page_two[0]))
                    times.append(_press(app, b"p", page_one[0]))
                paging.append(times)
            # The same walk against a program that answers at once: the harness's and the terminal's share.
            walk = [page_one[row]["id"] for row in _walk_rows(moves)]
            with PtySession([str(context.project_python), str(KEY_ECHO), *walk], env) as echo:
                echo.wait_for(b"ready", timeout=30)
                floor.append(_walk(echo, page_one, moves))

    for key, label, runs in (("cursor", "cursor ↓/↑", cursor), ("page", "next/prev page (n/p)", paging)):
        for index, what in ((0, "row"), (1, "detail")):
            series = [[pair[index] for pair in run] for run in runs]
            pooled = [value for run in series for value in run]
            section.add(
                Figure(f"keys.{key}_{what}_p50", f"{label}, {what}: p50", "ms", [percentile(s, 50) for s in series])
            )
            p99 = section.add(
                Figure(
                    f"keys.{key}_{what}_p99",
                    f"{label}, {what}: p99",
                    "ms",
                    [percentile(s, 99) for s in series],
                    note=f"pooled over {len(pooled)} presses: p50 {percentile(pooled, 50):.1f} ms, "
                    f"p99 {percentile(pooled, 99):.1f} ms, max {max(pooled):.1f} ms",
                )
            )
            if key == "cursor":
                p99.judge(f"≤ {FRAME_MS:.1f} ms", p99.summary.median <= FRAME_MS)
    floor_rows = [[pair[0] for pair in run] for run in floor]
    for quantile in (50, 99):
        section.add(
            Figure(
                f"keys.floor_p{quantile}",
                f"floor: a program that answers each key at once: p{quantile}",
                "ms",
                [percentile(run, quantile) for run in floor_rows],
            )
        )
    section.notes.append(
        f"{sessions} sessions; per session {2 * moves} cursor moves (down the page and back up) and "
        f"{page_pairs} n/p pairs; 'row' is the moved highlight or the new page's first row, 'detail' the detail "
        "pane showing the newly selected batch; median and spread of the per-session percentiles. n and p "
        "include one list request to the simulator on loopback: batchtui fetches a page each time it is shown. "
        "The floor (bench/drivers/key_echo.py) gets the same cursor walk after each session and answers every "
        "key with the id the harness waits for: the pseudo-terminal's and the harness's share of each figure."
    )
    return section


def _walk_rows(moves: int) -> list[int]:
    """The rows a walk lands on: down `moves` rows from the first, then back up to it."""
    return [*range(1, moves + 1), *range(moves - 1, -1, -1)]


def _walk(session: PtySession, page: list[dict], moves: int) -> list[tuple[float, float]]:
    """The walk, one key at a time: ↓ for the first `moves` keys, ↑ after."""
    return [_press(session, DOWN if step < moves else UP, page[row]) for step, row in enumerate(_walk_rows(moves))]


def detail_needle(batch_id: str) -> bytes:
    """The end of a batch id: the table cell never shows it, the detail pane's ID row does."""
    return batch_id[-12:].encode()


def _press(app: PtySession, key: bytes, batch: dict) -> tuple[float, float]:
    """(ms to the row, ms to the detail pane) for one key that selects `batch`."""
    app.settle(quiet=QUIET_SECONDS, limit=2)
    sent = app.send(key)
    row = app.wait_for(screen_needle(batch["id"]), timeout=10)
    detail = app.wait_for(detail_needle(batch["id"]), timeout=10)
    return (row - sent) * 1000, (detail - sent) * 1000
