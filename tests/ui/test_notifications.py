"""A batch seen finishing: one toast, the bell and a desktop notification, written to the terminal once."""

from __future__ import annotations

import pytest

from batchtui.api.models import Batch
from batchtui.ui.notifications import (
    MAX_NOTIFICATION_CELLS,
    TransitionWatch,
    desktop_notification,
    finished_text,
    notification_text,
)
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.batches import numbered_batch
from tests.support.notifications import toasts
from tests.support.waiting import settle

OSC_777 = "\x1b]777;notify;batchtui;"
OSC_9 = "\x1b]9;"


def batch(status: str, batch_id: str = "batch_1", **fields) -> Batch:
    return Batch.model_validate(numbered_batch(1, status, id=batch_id, **fields))


# The plain watch


def test_a_batch_seen_active_then_finished_is_reported_once():
    watch = TransitionWatch()
    assert watch.see([batch("validating"), batch("in_progress")]) == []
    assert [b.status for b in watch.see([batch("completed")])] == ["completed"]
    assert watch.see([batch("completed")]) == []
    # A stale copy (an old index row) saying active, then finished again: not a second transition.
    assert watch.see([batch("in_progress")]) == []
    assert watch.see([batch("completed")]) == []


def test_a_batch_first_seen_finished_is_never_reported():
    watch = TransitionWatch()
    assert watch.see([batch("completed"), batch("failed", "batch_2")]) == []
    assert watch.see([batch("completed")]) == []


def test_every_end_counts_and_an_unknown_status_keeps_what_was_seen():
    watch = TransitionWatch()
    watch.see([batch("in_progress", f"batch_{n}") for n in range(4)])
    assert watch.see([batch("paused_by_ops", "batch_0")]) == []
    ended = watch.see([batch(status, f"batch_{n}") for n, status in enumerate(["expired", "cancelled", "failed"])])
    assert [b.id for b in ended] == ["batch_0", "batch_1", "batch_2"]
    assert watch.see([batch("cancelling", "batch_3"), batch("cancelled", "batch_3")]) == [batch("cancelled", "batch_3")]


def test_the_text_says_what_happened():
    done = batch("completed", request_counts={"total": 2403, "completed": 2400, "failed": 3})
    assert finished_text(done) == "batch_1 completed: 2,400 done, 3 failed"
    assert finished_text(batch("expired", request_counts=None)) == "batch_1 expired"


PLAIN_XTERM = {"TERM": "xterm-256color"}
GNOME_TERMINAL = {"TERM": "xterm-256color", "VTE_VERSION": "7600"}


@pytest.mark.parametrize("environ", [PLAIN_XTERM, GNOME_TERMINAL], ids=["osc9", "osc777"])
@pytest.mark.parametrize("hostile", ["\x1b]0;pwned\x07", "a\x1b\\b", "\x9c\x9d", "x;y", "line\nbreak", "\x00\x7f"])
def test_server_text_cannot_end_or_forge_the_escape_sequence(hostile, environ):
    sequence = desktop_notification(f"batch_{hostile} completed", environ)
    body = sequence.removeprefix(OSC_777).removeprefix(OSC_9).split("\x1b\\")[0]
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in body), repr(body)
    assert ";" not in body
    assert sequence.count("\x1b") == 2 and sequence.count("\a") == 1 and sequence.endswith("\x1b\\\a")


@pytest.mark.parametrize(
    ("environ", "start"),
    [
        (PLAIN_XTERM, OSC_9),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"}, OSC_9),
        ({"TERM": "xterm-kitty"}, OSC_9),
        (GNOME_TERMINAL, OSC_777),
        ({"TERM": "foot"}, OSC_777),
        ({"TERM": "rxvt-unicode-256color"}, OSC_777),
    ],
)
def test_one_sequence_the_terminal_understands_never_both(environ, start):
    # Terminals that know both (WezTerm, Ghostty) showed two bubbles for one batch.
    sequence = desktop_notification("batch_1 completed", environ)
    assert sequence.startswith(start) and (OSC_9 in sequence) != (OSC_777 in sequence)


def test_inside_tmux_the_sequence_is_passed_through_it():
    sequence = desktop_notification("batch_1 completed", PLAIN_XTERM | {"TMUX": "/tmp/tmux-0/default,1,0"})
    assert sequence == "\x1bPtmux;\x1b\x1b]9;batch_1 completed\x1b\x1b\\\x1b\\\a"


def test_a_long_text_is_cut():
    assert len(notification_text("x" * 10_000)) == MAX_NOTIFICATION_CELLS


# On the main screen: the bytes written to the terminal


def with_screen(monkeypatch, **options) -> None:
    """The app's main screen made with these options (the app passes the settings' values in production)."""

    class Configured(BatchesScreen):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **(kwargs | options))

    monkeypatch.setattr("batchtui.ui.app.BatchesScreen", Configured)


def capture_terminal(app) -> list[str]:
    written: list[str] = []
    app._driver.write = written.append
    return written


@pytest.fixture
def xterm(monkeypatch):
    """A terminal that takes OSC 9, outside tmux."""
    for name in ("TMUX", "VTE_VERSION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


async def test_a_finished_batch_rings_once_and_asks_for_a_desktop_notification(make_app, fake_api, xterm):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        written = capture_terminal(app)
        # batch_0000 was seen in progress; batch_0001 was first seen completed and says nothing.
        fake_api.batches[0].update(status="completed", request_counts={"total": 10, "completed": 9, "failed": 1})
        await pilot.press("r")
        await settle(app, pilot)
        terminal = "".join(written)
        assert terminal.count(OSC_9) == 1 and terminal.count("\a") == 1 and OSC_777 not in terminal
        assert f"{OSC_9}batch_0000 completed: 9 done, 1 failed\x1b\\" in terminal
        assert "batch_0001" not in terminal
        assert "batch_0000 completed: 9 done, 1 failed" in toasts(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert "".join(written) == terminal  # once per transition


async def test_notify_off_writes_nothing_and_shows_no_toast(make_app, fake_api, monkeypatch):
    with_screen(monkeypatch, notify=False)
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        written = capture_terminal(app)
        fake_api.batches[0]["status"] = "failed"
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.page.data[0].status == "failed"
        assert not any(OSC_9 in text or "\a" in text for text in written)
        assert not any("batch_0000 failed" in toast for toast in toasts(app))


async def test_batches_ending_in_the_same_refresh_ring_once_together(make_app, fake_api, xterm):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        written = capture_terminal(app)
        running = [b for b in fake_api.batches if b["status"] in ("in_progress", "validating")][:3]
        assert len(running) == 3
        for raw in running:
            raw["status"] = "cancelled"
        await pilot.press("r")
        await settle(app, pilot)
        terminal = "".join(written)
        assert terminal.count("\a") == 1 and terminal.count(OSC_9) == 1
        assert f"{OSC_9}3 batches finished: " in terminal
        assert sum("3 batches finished" in toast for toast in toasts(app)) == 1
