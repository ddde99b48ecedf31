"""The create screen's promises: nothing sent on Escape, a lost answer is looked up before any retry,
and a second try after a failed create reuses the uploaded file instead of uploading it again."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from textual.widgets import Input, Select, TextArea

from batchtui.ui.dialogs.file_picker import FilePicker
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.screens.create_batch import CreateBatchScreen
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.notifications import notifications
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI


def chat(custom_id: str, url: str = "/v1/chat/completions") -> dict:
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": {"model": "gpt-4o-mini", "messages": []}}


@pytest.fixture
def api() -> LifecycleAPI:
    return LifecycleAPI(batches=[numbered_batch(i, "completed") for i in range(5)])


@pytest.fixture
def input_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "input.jsonl"
    path.write_text("".join(json.dumps(chat(f"r{i}")) + "\n" for i in range(3)))
    return path


async def open_form(app, pilot, path: str = "input.jsonl") -> CreateBatchScreen:
    await settle(app, pilot)
    await pilot.press("N")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CreateBatchScreen)
    if path:
        screen.query_one("#create-path", Input).value = path
        await wait_until(pilot, lambda: not screen.query_one("#create-endpoint", Select).is_blank())
    return screen


def report(screen) -> str:
    return " ".join(widget_text(screen.query_one("#create-report")).split())


async def test_escape_leaves_without_sending_anything(api, input_file):
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)
        assert not [r for r in api.requests if r.method == "POST"]


async def test_the_endpoint_follows_the_file_and_can_be_changed(api, tmp_path, input_file):
    (tmp_path / "embed.jsonl").write_text(json.dumps(chat("e1", url="/v1/embeddings")) + "\n")
    (tmp_path / "odd.jsonl").write_text(json.dumps(chat("o1", url="/v1/fine_tuning/jobs")) + "\n")
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(app, pilot)
        select = screen.query_one("#create-endpoint", Select)
        assert select.value == "/v1/chat/completions"
        screen.query_one("#create-path", Input).value = "embed.jsonl"
        await wait_until(pilot, lambda: select.value == "/v1/embeddings")
        screen.query_one("#create-path", Input).value = "odd.jsonl"
        note = screen.query_one("#create-endpoint-note")
        await wait_until(pilot, lambda: "not a batch endpoint" in widget_text(note))
        # Chosen by hand, the endpoint is what the file is checked against: a mismatch is refused locally.
        screen.query_one("#create-path", Input).value = "input.jsonl"
        await wait_until(pilot, lambda: select.value == "/v1/chat/completions")
        select.value = "/v1/responses"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "url '/v1/chat/completions' differs from '/v1/responses'" in report(screen)
        assert not api.posts("/files")


async def test_no_batch_created_then_ctrl_s_reuses_the_uploaded_file(api, input_file):
    api.create_outcomes = ["drop", "ok"]
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        screen = await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "No batch was created. Press ctrl+s to try again: the uploaded file file-up-1 is reused" in report(
            screen
        )
        # The lookup came before anything else was sent.
        methods = [(r.method, r.url.path.rsplit("/", 1)[-1]) for r in api.requests[-2:]]
        assert methods == [("POST", "batches"), ("GET", "batches")]

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        await settle(app, pilot)
        assert len(api.posts("/files")) == 1
        creates = [json.loads(r.content) for r in api.posts("/batches")]
        assert [c["input_file_id"] for c in creates] == ["file-up-1", "file-up-1"]
        assert main.selected_id == "batch_new2"


async def test_when_the_lookup_fails_too_the_next_try_looks_again_before_creating(api, input_file):
    api.create_outcomes = ["lost"]
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        screen = await open_form(app, pilot)
        api.list_failures = 1
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Could not tell whether the batch was created" in report(screen)
        assert "HTTP 500" in report(screen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        await settle(app, pilot)
        # One create only: the second ctrl+s found the batch the lost answer had made.
        assert len(api.posts("/batches")) == 1
        assert len(api.posts("/files")) == 1
        assert main.selected_id == "batch_new1"
        assert any("created after all: batch_new1" in str(note.message) for note in notifications(app))


async def test_an_unreadable_success_answer_is_looked_up_not_retried(api, input_file):
    api.create_outcomes = ["garbled"]
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        await settle(app, pilot)
        assert len(api.posts("/batches")) == 1
        assert main.selected_id == "batch_new1"


async def test_a_refused_create_shows_the_server_message_and_keeps_the_form(api, input_file):
    api.create_outcomes = ["refuse", "ok"]
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        screen = await open_form(app, pilot)
        screen.query_one("#create-window", Input).value = "48h"
        screen.query_one("#create-metadata", TextArea).text = "team=search"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        text = report(screen)
        assert "The server did not create the batch" in text
        assert "HTTP 400: Invalid value for 'completion_window': '48h'. Supported values are: '24h'." in text
        assert screen.query_one("#create-window", Input).value == "48h"
        assert screen.query_one("#create-metadata", TextArea).text == "team=search"

        screen.query_one("#create-window", Input).value = "24h"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        assert len(api.posts("/files")) == 1
        assert [json.loads(r.content)["completion_window"] for r in api.posts("/batches")] == ["48h", "24h"]


async def test_a_file_changed_after_a_failed_create_is_checked_and_uploaded_again(api, input_file):
    api.create_outcomes = ["refuse", "ok"]
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        input_file.write_text(input_file.read_text() + json.dumps(chat("r3")) + "\n")
        stat = input_file.stat()
        os.utime(input_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is main)
        assert [json.loads(r.content)["input_file_id"] for r in api.posts("/batches")] == ["file-up-1", "file-up-2"]
        assert b'"r3"' in api.files["file-up-2"]


async def test_leaving_is_refused_while_the_create_request_is_in_flight(api, input_file):
    api.create_gate = asyncio.Event()
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        screen = await open_form(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.busy == "creating the batch")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert "Wait: creating the batch" in report(screen)
        api.create_gate.set()
        await wait_until(pilot, lambda: app.screen is main)
        assert main.selected_id == "batch_new1"


async def test_the_file_picker_fills_in_the_path(api, tmp_path, input_file):
    (tmp_path / "notes.txt").write_text("not a batch file")
    (tmp_path / "inputs").mkdir()
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_form(app, pilot, path="")
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, FilePicker))
        tree = app.screen.query_one("#picker-tree")
        await wait_until(pilot, lambda: tree.cursor_node is not None and tree.root.children)
        names = [str(child.label) for child in tree.root.children]
        assert names == ["inputs", "input.jsonl"]  # folders and .jsonl files only
        tree.move_cursor(tree.root.children[-1])
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#create-path", Input).value == "input.jsonl"
        await wait_until(pilot, lambda: screen.query_one("#create-endpoint", Select).value == "/v1/chat/completions")
