"""Leaving the app: q and Ctrl-C from anywhere, and an in-flight download leaves no partial file behind."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
import pytest
from textual.widgets import Input

from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.screens.results import ResultsScreen
from batchtui.ui.widgets.batch_table import BatchTable
from batchtui.ui.widgets.detail_pane import DetailPane
from batchtui.ui.widgets.status_line import StatusLine
from batchtui.ui.widgets.summary_line import SummaryLine
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.files import jsonl, result_line
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


@pytest.fixture
def api() -> LifecycleAPI:
    return LifecycleAPI(
        batches=[numbered_batch(0, "completed", output_file_id="file-out"), numbered_batch(1, "in_progress")]
    )


async def quit_with(pilot, key: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: not pilot.app.is_running)
    assert pilot.app.return_code == 0


async def test_ctrl_c_quits_from_the_main_screen(api):
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, BatchesScreen)
        await quit_with(pilot, "ctrl+c")


async def test_ctrl_c_quits_from_a_modal(api):
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await quit_with(pilot, "ctrl+c")


async def test_ctrl_c_quits_from_a_text_field_where_q_is_typed(api):
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("N")
        await wait_until(pilot, lambda: isinstance(app.screen, CreateBatchScreen))
        path = app.screen.query_one("#create-path", Input)
        await wait_until(pilot, lambda: app.focused is path)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and path.value.endswith("q")
        await quit_with(pilot, "ctrl+c")


async def test_q_still_quits(api):
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await quit_with(pilot, "q")


@pytest.fixture
def handler_before():
    """A do-nothing SIGTERM handler in place before the app starts: a signal the app misses cannot end pytest."""

    def before(signum, frame) -> None:
        pass

    previous = signal.signal(signal.SIGTERM, before)
    yield before
    signal.signal(signal.SIGTERM, previous)


async def test_sigterm_ends_the_app_like_q_and_the_handler_before_it_is_back_after(api, handler_before):
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        os.kill(os.getpid(), signal.SIGTERM)
        await wait_until(pilot, lambda: not app.is_running)
        assert app.return_code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is handler_before


class StalledDownload(LifecycleAPI):
    """Serves the first part of a file's content, then nothing more until the test ends."""

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/content"):
            self.requests.append(request)
            return httpx.Response(200, content=self._stalled(), headers={"content-length": "1000000"})
        return await super().handle_async(request)

    async def _stalled(self):
        yield jsonl([result_line("alpha")])
        await asyncio.Event().wait()


async def test_quitting_mid_download_removes_the_partial_file(cache_dir):
    api = StalledDownload(batches=[numbered_batch(0, "completed", output_file_id="file-out")])
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultsScreen) and list(cache_dir.rglob("*.part")))
        await quit_with(pilot, "ctrl+c")
    assert [path for path in cache_dir.rglob("*") if path.is_file()] == []


async def test_work_ending_while_the_list_is_torn_down_does_not_raise(api):
    # Quitting removes the screen's widgets while workers may still end: a page load shows its rows and detail,
    # the estimates their figures, and the footer's last refresh checks every key against the selection.
    app = build_app(transport=api.transport())
    async with app.run_test() as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BatchesScreen) and screen.selected_id is not None
        for part in (BatchTable, DetailPane, SummaryLine, StatusLine):
            await screen.query_one(part).remove()
        await pilot.pause()
        assert not screen.query(BatchTable) and not screen.query(DetailPane)
        for action in ("cancel", "open_output", "toggle_mark"):
            screen.check_action(action, ())  # raised NoMatches when the selection was queried from the screen
        screen._show_detail()  # raised NoMatches when the detail pane was queried
        screen._show_summary()
        screen._render_status()
        assert screen.selected_id is not None  # still the batch it was on
