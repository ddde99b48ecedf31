"""Retry files from real simulator batches: exactly the requests without a successful answer, then a new batch."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Select, TextArea

from batchtui.ui.dialogs.save_file import ConfirmOverwrite, SaveFileScreen
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.screens.recovery import RecoveryScreen
from tests.e2e.support import KEY, file_bytes, file_lines, modest, posts, rows, select
from tests.support.apps import build_app
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until


@pytest.fixture(autouse=True)
def workdir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def unfinished(simulator, batch: dict) -> list[str]:
    """The input's custom_ids, in input order, that no output line answered with a 2xx."""
    inputs = [line["custom_id"] for line in file_lines(simulator, batch["input_file_id"])]
    outputs = file_lines(simulator, batch["output_file_id"]) if batch["output_file_id"] else []
    succeeded = {line["custom_id"] for line in outputs if 200 <= line["response"]["status_code"] < 300}
    return [custom_id for custom_id in inputs if custom_id not in succeeded]


async def open_recovery(app, pilot, batch: dict) -> RecoveryScreen:
    await settle(app, pilot)
    await select(app, pilot, batch["id"])
    await pilot.press("R")
    await wait_until(pilot, lambda: isinstance(app.screen, RecoveryScreen) and app.screen.report is not None)
    await pilot.pause()
    return app.screen


async def save_default(app, pilot) -> None:
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
    await pilot.press("enter")


@pytest.mark.parametrize("status", ["expired", "cancelled", "completed"])
async def test_the_retry_file_holds_exactly_the_unfinished_requests(simulator, clock, workdir, status):
    batch = modest(
        [b for b in simulator.batches() if b["status"] == status and b["output_file_id"] and b["error_file_id"]]
    )
    expected = unfinished(simulator, batch)
    assert expected, "the simulator gave this batch nothing to retry"
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_recovery(app, pilot, batch)
        report = " ".join(widget_text(screen.query_one("#recovery-report")).split())
        total = batch["request_counts"]["total"]
        assert f"{len(expected):,} of {total:,} requests to retry" in report
        assert f"{total - len(expected):,} succeeded" in report
        if status == "expired":
            assert "cut off when the completion window expired" in report
        if status == "cancelled":
            assert "have no result (cancelled, or never run)" in report

        await save_default(app, pilot)
        saved = workdir / f"{batch['id']}-retry.jsonl"
        await wait_until(pilot, lambda: app.screen is screen and saved.exists())
        lines = saved.read_bytes().splitlines(keepends=True)
        assert [json.loads(line)["custom_id"] for line in lines] == expected
        # Byte for byte the original requests.
        original = set(file_bytes(simulator, batch["input_file_id"]).splitlines(keepends=True))
        assert set(lines) <= original
        assert "Saved to" in widget_text(screen.query_one("#recovery-report"))


async def test_saving_over_an_existing_retry_file_asks_first(simulator, clock, workdir):
    batch = next(b for b in simulator.batches() if b["status"] == "expired")
    target = workdir / f"{batch['id']}-retry.jsonl"
    target.write_text("mine\n")
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_recovery(app, pilot, batch)
        await save_default(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert target.read_text() == "mine\n"
        assert screen.saved_path is None


async def test_a_retry_batch_is_created_from_the_file_with_retry_of(simulator, clock, workdir):
    batch = modest([b for b in simulator.batches() if b["status"] == "cancelled" and b["output_file_id"]])
    expected = unfinished(simulator, batch)
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=100)
    async with app.run_test(size=(140, 45)) as pilot:
        main = app.screen
        await open_recovery(app, pilot, batch)
        await pilot.press("c")  # saves first: the create form needs a file on disk
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFileScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CreateBatchScreen))
        form = app.screen
        assert form.query_one("#create-path", Input).value == f"{batch['id']}-retry.jsonl"
        assert form.query_one("#create-endpoint", Select).value == batch["endpoint"]
        assert form.query_one("#create-metadata", TextArea).text == f"retry_of={batch['id']}"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        await settle(app, pilot)

        [create] = posts(simulator, "/v1/batches")
        body = json.loads(create.body)
        assert body["metadata"] == {"retry_of": batch["id"]}
        assert body["endpoint"] == batch["endpoint"]
        uploaded = [line["custom_id"] for line in file_lines(simulator, body["input_file_id"])]
        assert uploaded == expected
        assert isinstance(main, BatchesScreen)
        assert rows(app)[0] == main.selected_id == simulator.batches()[0]["id"]
