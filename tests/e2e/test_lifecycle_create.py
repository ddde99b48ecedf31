"""Creating a batch against the simulator: pre-flight first, one upload, one create, never a blind retry."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Select, TextArea

from batchtui.api.client import Timeouts
from batchtui.api.retry import RetryPolicy
from batchtui.sim import FaultConfig, SimConfig, Simulator
from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.widgets.batch_table import BatchTable
from tests.e2e.support import KEY, chat_request, file_lines, posts, rows, write_jsonl
from tests.support.apps import build_app
from tests.support.notifications import toasts
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until


@pytest.fixture
def simulator(clock):
    with Simulator(SimConfig(seed=5, api_key=KEY), clock=clock) as sim:
        yield sim


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


async def open_create(app, pilot) -> CreateBatchScreen:
    await settle(app, pilot)
    await pilot.press("N")
    await pilot.pause()
    assert isinstance(app.screen, CreateBatchScreen)
    assert app.focused is app.screen.query_one("#create-path", Input)
    return app.screen


async def test_a_bad_file_is_refused_with_line_numbers_and_nothing_is_uploaded(simulator, clock, tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = [
        json.dumps(chat_request("a")),
        "{not json",
        json.dumps({**chat_request("a"), "method": "GET"}),
        json.dumps(chat_request("b", model="gpt-4.1")),
    ]
    bad.write_text("\n".join(lines) + "\n")
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_create(app, pilot)
        await pilot.press(*"bad.jsonl")  # typed, as a user would
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen, "a refused file keeps the form open"
        report = widget_text(screen.query_one("#create-report"))
        assert "Not uploaded: 4 problems" in report
        assert "line 2  invalid JSON" in report
        assert "line 3  custom_id 'a' is already used on line 1" in report
        assert "line 3  method is 'GET'" in report
        assert "line 4  model 'gpt-4.1' differs" in report
        assert not posts(simulator, "/v1/files")
        assert not posts(simulator, "/v1/batches")


async def test_form_mistakes_are_listed_before_the_file_is_even_read(simulator, clock, tmp_path):
    write_jsonl(tmp_path / "good.jsonl", [chat_request("a")])
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_create(app, pilot)
        screen.query_one("#create-path", Input).value = "good.jsonl"
        screen.query_one("#create-window", Input).value = "tomorrow"
        screen.query_one("#create-metadata", TextArea).text = "k" * 65 + "=v\nnot a pair"
        screen.query_one("#create-expiry", Input).value = "60"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        problems = widget_text(screen.query_one("#create-problems"))
        assert "Completion window: 'tomorrow' is not a duration" in problems
        assert "Metadata line 1: the key is 65 characters; keys are at most 64." in problems
        assert "Metadata line 2: no '=' in it" in problems
        assert "Output expiry: 60 seconds is out of range" in problems
        assert not screen.query_one("#create-report").display
        assert not [r for r in simulator.requests if r.method == "POST"]


async def test_upload_and_create_put_the_new_batch_at_the_top_selected(simulator, clock, tmp_path):
    custom_ids = [f"row-{i}" for i in range(30)]
    write_jsonl(tmp_path / "input.jsonl", [chat_request(custom_id) for custom_id in custom_ids])
    app = build_app(base_url=simulator.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        main = app.screen
        await settle(app, pilot)
        await pilot.press("n")  # start from page 2: creating goes back to page 1
        await settle(app, pilot)
        assert main.page_number == 2
        screen = await open_create(app, pilot)
        screen.query_one("#create-path", Input).value = "input.jsonl"
        await wait_until(pilot, lambda: screen.query_one("#create-endpoint", Select).value == "/v1/chat/completions")
        screen.query_one("#create-metadata", TextArea).text = "project=e2e\nowner=test"
        screen.query_one("#create-window", Input).value = "48h"
        screen.query_one("#create-expiry", Input).value = "7d"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        await settle(app, pilot)

        [upload] = posts(simulator, "/v1/files")
        assert b'name="purpose"\r\n\r\nbatch' in upload.body
        [create] = posts(simulator, "/v1/batches")
        body = json.loads(create.body)
        assert body["endpoint"] == "/v1/chat/completions"
        assert body["completion_window"] == "48h"
        assert body["metadata"] == {"project": "e2e", "owner": "test"}
        assert body["output_expires_after"] == {"anchor": "created_at", "seconds": 7 * 86400}
        created = simulator.batches()[0]
        assert created["input_file_id"] == body["input_file_id"]

        assert main.page_number == 1
        assert rows(app)[0] == created["id"]
        assert main.selected_id == created["id"]
        assert main.query_one(BatchTable).cursor_row == 0

        # The batch runs on the simulator's clock; its results are the rows of the input file.
        clock.advance(3600)
        await pilot.press("r")
        await settle(app, pilot)
        assert main.selected_batch.status == "completed"
        produced = file_lines(simulator, main.selected_batch.output_file_id)
        failed = file_lines(simulator, main.selected_batch.error_file_id) if main.selected_batch.error_file_id else []
        assert sorted(line["custom_id"] for line in produced + failed) == sorted(custom_ids)


async def test_a_lost_create_answer_finds_the_batch_instead_of_creating_another(clock, tmp_path):
    write_jsonl(tmp_path / "input.jsonl", [chat_request(f"row-{i}") for i in range(5)])
    faults = FaultConfig.only(create_timeout_once=True, create_timeout_delay=1.5)
    with Simulator(SimConfig(seed=5, api_key=KEY, faults=faults), clock=clock) as simulator:
        app = build_app(
            base_url=simulator.base_url,
            key=KEY,
            clock=clock,
            timeouts=Timeouts(read=0.5),
            retry=RetryPolicy(max_retries=0),
        )
        async with app.run_test(size=(140, 45)) as pilot:
            main = app.screen
            screen = await open_create(app, pilot)
            screen.query_one("#create-path", Input).value = "input.jsonl"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.screen is main)
            await settle(app, pilot)

            [create] = posts(simulator, "/v1/batches")
            assert create.fault == "create_timeout"
            file_id = json.loads(create.body)["input_file_id"]
            made = [batch for batch in simulator.batches() if batch["input_file_id"] == file_id]
            assert len(made) == 1
            assert len(posts(simulator, "/v1/files")) == 1
            assert main.selected_id == made[0]["id"] == rows(app)[0]
            assert any("the batch was created after all" in note and made[0]["id"] in note for note in toasts(app))
