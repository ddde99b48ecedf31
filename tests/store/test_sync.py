"""The planner and the index together against a server in memory: backfill, resume, catch-up, refresh.

The driver below is what the UI's history worker does, with a clock that jumps instead of sleeping.
"""

from __future__ import annotations

from pathlib import Path

from batchtui.store import get_batch, indexed_count, load_sync_state, open_index, record_list_page, save_batches
from batchtui.store.planner import (
    ListPage,
    PageSeen,
    Purpose,
    Retrieve,
    Wait,
    continue_sweep,
    next_history_request,
    plan_active_refresh,
)
from batchtui.store.reads import active_batches
from tests.store.fake_server import FakeBatchList
from tests.support.batches import history_batch, long_history

NOW = 1_800_000_000
PAGE = 20


class Driver:
    """One run of batchtui: the visible page 1 on a tick, history requests between ticks."""

    def __init__(self, path: Path, server: FakeBatchList, clock: float = NOW) -> None:
        self.index = open_index(path).index
        self.server = server
        self.clock = clock
        self.state = load_sync_state(self.index)
        self.sent_at: list[float] = []

    def visible_page(self) -> None:
        request = ListPage(None, PAGE, Purpose.VISIBLE)
        body = self.server.list(None, PAGE)
        self.state, _ = record_list_page(self.index, self.state, request, body, seen_at=self.clock)

    def history(self, *, at_most: int = 10_000) -> int:
        sent = 0
        while sent < at_most:
            last = self.sent_at[-1] if self.sent_at else None
            step = next_history_request(self.state, now=self.clock, last_sent_at=last)
            if step is None:
                break
            if isinstance(step, Wait):
                self.clock = step.until
                continue
            body = self.server.list(step.after, step.limit)
            self.sent_at.append(self.clock)
            self.state, _ = record_list_page(self.index, self.state, step, body, seen_at=self.clock)
            sent += 1
        return sent

    def close(self) -> None:
        self.index.close()


def test_a_fresh_index_backfills_the_whole_history_gently(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(1_234, now=NOW))
    run = Driver(tmp_path / "index.sqlite3", server)
    run.visible_page()
    sent = run.history()
    # Page 1 (20) from the screen, then the rest in pages of 100: no page fetched twice.
    assert sent == 13
    assert len(server.requests) == 14
    assert indexed_count(run.index) == 1_234
    assert run.state.history_complete
    assert (run.state.backfill_pages, run.state.backfill_batches) == (13, 1_214)
    assert all(later - earlier >= 1.0 for earlier, later in zip(run.sent_at, run.sent_at[1:], strict=False))
    run.close()


def test_an_interrupted_backfill_resumes_where_it_stopped_after_a_restart(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(1_234, now=NOW))
    first = Driver(tmp_path / "index.sqlite3", server)
    first.visible_page()
    assert first.history(at_most=5) == 5
    first.close()
    assert len(server.requests) == 6
    second = Driver(tmp_path / "index.sqlite3", server, clock=NOW + 3_600)
    second.visible_page()
    assert second.history() == 8
    assert indexed_count(second.index) == 1_234
    assert second.state.history_complete
    # No page of the history was asked for twice across the two runs.
    history_cursors = [after for kind, after in server.requests if after is not None]
    assert len(history_cursors) == len(set(history_cursors)) == 13
    second.close()


def test_a_later_run_fetches_only_what_is_new_on_top(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(500, now=NOW))
    first = Driver(tmp_path / "index.sqlite3", server)
    first.visible_page()
    first.history()
    first.close()
    server.add_newer(long_history(250, now=NOW + 10 * 86_400, days=5, seed=2))
    server.requests.clear()
    later = Driver(tmp_path / "index.sqlite3", server, clock=NOW + 10 * 86_400)
    later.visible_page()
    # 230 new below page 1: three pages of 100, the third meeting the old top.
    assert later.history() == 3
    assert indexed_count(later.index) == 750
    assert later.state.history_complete
    later.close()


def test_nothing_new_costs_nothing_beyond_the_visible_page(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(300, now=NOW))
    first = Driver(tmp_path / "index.sqlite3", server)
    first.visible_page()
    first.history()
    first.close()
    server.requests.clear()
    later = Driver(tmp_path / "index.sqlite3", server, clock=NOW + 60)
    later.visible_page()
    assert later.history() == 0
    assert server.requests == [("list", None)]
    later.close()


def test_an_interrupted_catch_up_leaves_no_hole_after_a_restart(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(400, now=NOW))
    first = Driver(tmp_path / "index.sqlite3", server)
    first.visible_page()
    first.history()
    first.close()
    server.add_newer(long_history(250, now=NOW + 5 * 86_400, days=3, seed=3))
    second = Driver(tmp_path / "index.sqlite3", server, clock=NOW + 5 * 86_400)
    second.visible_page()
    assert second.history(at_most=1) == 1
    second.close()
    # Stopped with a gap open, and more arrive before the next start.
    server.add_newer(long_history(30, now=NOW + 6 * 86_400, days=1, seed=4))
    third = Driver(tmp_path / "index.sqlite3", server, clock=NOW + 6 * 86_400)
    third.visible_page()
    third.history()
    # The next tick's page 1 starts a catch-up for the ten that were neither on it nor in the old gap.
    third.visible_page()
    third.history()
    assert indexed_count(third.index) == 680
    assert all(get_batch(third.index, raw["id"]) is not None for raw in server.batches)
    assert third.state.history_complete
    third.close()


def test_a_server_that_never_stops_saying_has_more_does_not_keep_us_paging(tmp_path: Path) -> None:
    server = FakeBatchList(long_history(50, now=NOW), stuck=True)
    run = Driver(tmp_path / "index.sqlite3", server)
    run.visible_page()
    assert run.history() <= 2
    assert run.state.backfill_done
    run.close()


def test_active_batches_deep_in_history_are_refreshed_until_they_end_and_then_never(tmp_path: Path) -> None:
    batches = [history_batch(f"batch_{n:03d}", created_at=NOW - n) for n in range(300)]
    batches[150] = history_batch("batch_150", status="in_progress", created_at=NOW - 150, counts=(1, 0, 10))
    batches[260] = history_batch("batch_260", status="finalizing", created_at=NOW - 260, counts=(9, 1, 10))
    server = FakeBatchList(batches)
    with open_index(tmp_path / "index.sqlite3").index as index:
        save_batches(index, batches, seen_at=NOW)
        visible = [raw["id"] for raw in batches[:PAGE]]

        requests = plan_active_refresh(active_batches(index), visible_ids=visible, now=NOW + 60, interval=30)
        assert requests == (Retrieve("batch_150"), Retrieve("batch_260"))
        server.batches[150] = history_batch("batch_150", status="completed", created_at=NOW - 150, counts=(10, 0, 10))
        for request in requests:
            assert isinstance(request, Retrieve)
            save_batches(index, [server.retrieve(request.batch_id)], seen_at=NOW + 60)

        # Refreshed this cycle: nothing until the interval has passed; then only the one still running.
        assert plan_active_refresh(active_batches(index), visible_ids=visible, now=NOW + 70, interval=30) == ()
        assert plan_active_refresh(active_batches(index), visible_ids=visible, now=NOW + 95, interval=30) == (
            Retrieve("batch_260"),
        )
        assert get_batch(index, "batch_150") == server.batches[150]


def test_several_shallow_active_batches_are_refreshed_by_one_sweep(tmp_path: Path) -> None:
    batches = [
        history_batch(f"batch_{n:03d}", created_at=NOW - n, status="in_progress" if n in (25, 40, 70) else "completed")
        for n in range(300)
    ]
    server = FakeBatchList(batches)
    with open_index(tmp_path / "index.sqlite3").index as index:
        save_batches(index, batches, seen_at=NOW)
        (sweep,) = plan_active_refresh(active_batches(index), visible_ids=(), now=NOW + 60, interval=30)
        assert isinstance(sweep, ListPage) and sweep.purpose is Purpose.SWEEP
        pages = 0
        request: ListPage | None = sweep
        while request is not None:
            body = server.list(request.after, request.limit)
            record_list_page(index, load_sync_state(index), request, body, seen_at=NOW + 60)
            request = continue_sweep(request, PageSeen.from_raw(body["data"], has_more=body["has_more"]))
            pages += 1
        assert pages == 1
        assert plan_active_refresh(active_batches(index), visible_ids=(), now=NOW + 70, interval=30) == ()
