"""An unexpected error anywhere ends the app with status 1, one line instead of a traceback, and a private log."""

from __future__ import annotations

import stat

import pytest
from textual.app import App
from textual.worker import WorkerFailed

from batchtui.api.redaction import REDACTED
from batchtui.ui.app import BatchApp
from batchtui.ui.crash_log import CrashReport, record_crash
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.keys import FAKE_KEY
from tests.support.waiting import settle, wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def api() -> LifecycleAPI:
    return LifecycleAPI(batches=[numbered_batch(0, "completed"), numbered_batch(1, "in_progress")])


def boom(*args, **kwargs) -> None:
    raise RuntimeError(f"boom {FAKE_KEY}")


def the_log(cache_dir) -> str:
    (log,) = (cache_dir / "logs").iterdir()
    assert log.name.startswith("crash-") and log.suffix == ".log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    return log.read_text()


async def test_a_worker_error_ends_the_app_with_status_1_and_a_log_without_the_key(api, cache_dir, monkeypatch):
    monkeypatch.setattr(BatchesScreen, "_page_loaded", boom)  # runs inside the page worker
    app = build_app(transport=api.transport())
    with pytest.raises(WorkerFailed):  # Pilot re-raises what ended the app
        async with app.run_test() as pilot:
            await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    text = the_log(cache_dir)
    assert "Traceback (most recent call last)" in text and "_page_loaded" in text
    assert f"RuntimeError: boom {REDACTED}" in text
    assert FAKE_KEY not in text and FAKE_KEY.lower() not in text.lower()


async def test_a_message_handler_error_is_logged_the_same_way(api, cache_dir, monkeypatch):
    monkeypatch.setattr(BatchesScreen, "action_copy_id", boom)
    app = build_app(transport=api.transport())
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test() as pilot:
            await settle(app, pilot)
            await pilot.press("y")
            await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    text = the_log(cache_dir)
    assert "in run_action" in text and "in boom" in text and f"boom {REDACTED}" in text and FAKE_KEY not in text


def test_the_terminal_gets_one_line_instead_of_textuals_traceback(api, cache_dir, monkeypatch, capsys):
    monkeypatch.setattr(BatchesScreen, "_page_loaded", boom)
    monkeypatch.setattr(BatchApp, "run", lambda self: App.run(self, headless=True, size=(100, 30)))  # no terminal
    assert build_app(transport=api.transport()).run_in_terminal() == 1
    (log,) = (cache_dir / "logs").iterdir()
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"batchtui stopped on an unexpected error: RuntimeError: boom {REDACTED}. Details were written to {log}.\n"
    )


def test_a_log_that_cannot_be_written_is_said_on_the_line(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    report = record_crash(RuntimeError(f"boom {FAKE_KEY}"), lambda text: text.replace(FAKE_KEY, REDACTED), blocked)
    assert report.log is None
    assert report.message().startswith(f"batchtui stopped on an unexpected error: RuntimeError: boom {REDACTED}.")
    assert "The details could not be written: " in report.message() and str(blocked) in report.message()


def test_the_line_is_one_line_and_short_with_the_key_cut_out_before_the_message_is():
    message = "x" * 180 + FAKE_KEY + "\nsecond line\x1b[31m"
    report = record_crash(ValueError(message), lambda text: text.replace(FAKE_KEY, REDACTED), None)
    assert isinstance(report, CrashReport)
    assert "\n" not in report.message() and "\x1b" not in report.message()
    assert FAKE_KEY[:6] not in report.error and len(report.error) <= 200
