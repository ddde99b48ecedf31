"""The estimates run off the event loop: the first one loads the price list, a third of a second."""

from __future__ import annotations

import threading
from pathlib import Path

from batchtui.api.models import Batch
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS
from batchtui.store import open_index, save_batches
from batchtui.ui import insight_feed
from batchtui.ui.history import History
from batchtui.ui.insight_feed import InsightFeed, day_start
from tests.support.batches import NOW, batch_json


async def test_the_estimates_are_worked_out_on_another_thread_than_the_event_loop(monkeypatch):
    threads = []
    real = insight_feed.insights_for

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(insight_feed, "insights_for", recording)
    batch = Batch.model_validate(batch_json(id="batch_done", status="completed"))
    insights = await InsightFeed(None, DEFAULT_THRESHOLDS).insights([batch], NOW)
    assert set(insights) == {"batch_done"}
    assert threads and threads[0] is not threading.main_thread()


async def test_an_active_batch_gets_its_observations_from_the_index(tmp_path: Path):
    path = tmp_path / "index.sqlite3"
    index = open_index(path, now=NOW).index
    for seconds, completed in ((0, 100), (60, 400)):
        counts = {"total": 1000, "completed": completed, "failed": 0}
        raw = batch_json(id="batch_run", status="in_progress", in_progress_at=int(NOW) - 600, request_counts=counts)
        save_batches(index, [raw], seen_at=NOW + seconds)
    index.close()
    history = History(path)
    await history.open(NOW)
    try:
        running = Batch.model_validate(raw)
        insight = (await InsightFeed(history, DEFAULT_THRESHOLDS).insights([running], NOW + 60))["batch_run"]
    finally:
        await history.close()
    assert insight.eta is not None and insight.eta.from_observations
    assert insight.eta.rate_per_minute == 300
    assert len(insight.samples) == 2


def test_today_starts_at_local_midnight():
    start = day_start(NOW)
    assert start <= NOW < start + 86_400
    assert day_start(start) == start


def test_the_counts_a_fresh_page_brings_count_as_the_observation_the_index_will_record():
    from batchtui.store.reads import Observation
    from batchtui.ui.insight_feed import with_counts_now

    counts = {"total": 1000, "completed": 400, "failed": 0}
    running = Batch.model_validate(batch_json(id="batch_run", status="in_progress", request_counts=counts))
    done = Batch.model_validate(batch_json(id="batch_done", status="completed", request_counts=counts))
    recorded = {"batch_run": [Observation(int(NOW) - 60, 100, 0, 1000)]}
    merged = with_counts_now(recorded, [running, done], NOW)
    assert merged["batch_run"][-1] == Observation(int(NOW), 400, 0, 1000) and len(merged["batch_run"]) == 2
    assert "batch_done" not in merged  # finished batches are not observed
    # Unchanged counts add nothing, as the index adds nothing.
    assert with_counts_now(merged, [running], NOW + 5) == merged
