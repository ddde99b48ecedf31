"""The retry screen refuses to guess: a missing input or output file means no retry file, said in words."""

from __future__ import annotations

import pytest

from batchtui.api.models import Batch
from batchtui.ui.batch_rules import can_retry, why_not_retry
from batchtui.ui.screens.recovery import RecoveryScreen
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.files import jsonl, result_line
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI

INPUT = jsonl(
    [{"custom_id": f"c{i}", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m"}} for i in range(4)]
)
OUTPUT = jsonl([result_line("c0"), result_line("c2", 500, error={"message": "boom", "type": "server_error"})])
ERRORS = jsonl([result_line("c1", 429, error={"message": "slow down", "type": "rate_limit"})])


def batch(status: str, **fields) -> Batch:
    return Batch.model_validate(numbered_batch(0, status, **fields))


@pytest.mark.parametrize(
    ("status", "fields", "allowed"),
    [
        ("expired", {}, True),
        ("cancelled", {}, True),
        ("completed", {"request_counts": {"total": 10, "completed": 9, "failed": 1}}, True),
        ("completed", {"request_counts": {"total": 10, "completed": 10, "failed": 0}}, False),
        ("completed", {"request_counts": None, "error_file_id": "file-e"}, True),
        ("failed", {}, False),
        ("in_progress", {"request_counts": {"total": 10, "completed": 1, "failed": 1}}, False),
        ("cancelling", {}, False),
        ("validating", {}, False),
    ],
)
def test_which_batches_can_be_retried(status, fields, allowed):
    assert can_retry(batch(status, **fields)) is allowed
    if not allowed:
        assert why_not_retry(batch(status, **fields)).startswith("batch_0000 ")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def api_with(files: dict[str, bytes], **fields) -> LifecycleAPI:
    ids = {"input_file_id": "file-in", "output_file_id": "file-out", "error_file_id": "file-err"}
    target = numbered_batch(0, "expired", **{**ids, **fields})
    return LifecycleAPI(batches=[target], files=files)


async def open_recovery(app, pilot) -> RecoveryScreen:
    await settle(app, pilot)
    await pilot.press("R")
    await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen))
    screen = app.screen
    await wait_until(pilot, lambda: widget_text(screen.query_one("#recovery-keys")).strip())
    return screen


def report(screen) -> str:
    return " ".join(widget_text(screen.query_one("#recovery-report")).split())


async def test_the_report_counts_each_reason():
    app = build_app(transport=api_with({"file-in": INPUT, "file-out": OUTPUT, "file-err": ERRORS}).transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_recovery(app, pilot)
        text = report(screen)
        assert "3 of 4 requests to retry (HTTP 429: 1, HTTP 500: 1, no result: 1); 1 succeeded" in text
        assert "1 answered HTTP 429" in text and "1 answered HTTP 500" in text
        assert "1 have no result (cancelled, or never run)" in text
        assert screen.check_action("save", ()) and screen.check_action("create_from_retry", ())


async def test_a_gone_output_file_means_no_retry_file():
    app = build_app(transport=api_with({"file-in": INPUT, "file-err": ERRORS}).transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_recovery(app, pilot)
        text = report(screen)
        assert "The output file file-out is gone from the server (HTTP 404: No such File object: file-out)" in text
        assert "could run successful requests a second time" in text
        assert screen.report is None
        assert not screen.check_action("save", ())


async def test_a_gone_input_file_means_no_retry_file():
    app = build_app(transport=api_with({"file-out": OUTPUT, "file-err": ERRORS}).transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_recovery(app, pilot)
        assert "The input file file-in is gone from the server (HTTP 404: No such File object: file-in)" in report(
            screen
        )
        assert screen.report is None


async def test_a_gone_error_file_is_noted_and_its_requests_still_retried():
    app = build_app(transport=api_with({"file-in": INPUT, "file-out": OUTPUT}).transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_recovery(app, pilot)
        text = report(screen)
        assert "3 of 4 requests to retry" in text
        assert (
            "The error file file-err is gone from the server (HTTP 404: No such File object: file-err): "
            "its requests are counted as 'no result'."
        ) in text


async def test_nothing_to_retry_offers_nothing_to_save():
    everything = jsonl([result_line(f"c{i}") for i in range(4)])
    app = build_app(transport=api_with({"file-in": INPUT, "file-out": everything}, error_file_id=None).transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_recovery(app, pilot)
        assert "Nothing to retry: 0 of 4 requests to retry; 4 succeeded." in report(screen)
        assert not screen.check_action("save", ()) and not screen.check_action("create_from_retry", ())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryScreen)
