"""The input thread that sleeps: keys and a lone Escape still arrive, it waits with no timeout while nothing is
pending, and setting the exit event ends it at once. Driven through a real pseudo-terminal."""

from __future__ import annotations

import contextlib
import os
import pty
import queue
import selectors
import signal
import threading
import tty
from collections.abc import Iterator

from textual import events
from textual.drivers.linux_driver import LinuxDriver

from batchtui.ui.app import BatchApp
from batchtui.ui.quiet_driver import QuietLinuxDriver
from tests.support.apps import build_app


class RecordingDriver(QuietLinuxDriver):
    """The driver reading a pseudo-terminal, handing what it parses to a queue instead of an app."""

    def __init__(self, terminal: int) -> None:
        super().__init__(app=None)  # type: ignore[arg-type] - only process_message would reach the app
        self.fileno = terminal
        self.received: queue.Queue[object] = queue.Queue()

    def process_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.received.put(message)

    def next_key(self) -> str:
        while True:
            message = self.received.get(timeout=5)
            if isinstance(message, events.Key):
                return message.key


class Waits(list):
    """The timeout of every wait the input thread made, and an event set when it starts one."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()


@contextlib.contextmanager
def input_thread(monkeypatch) -> Iterator[tuple[RecordingDriver, int, Waits, threading.Thread]]:
    """A driver's input thread on a fresh pseudo-terminal; yields the driver, the terminal's other end (what a
    user types into), its waits, and the thread."""
    waits = Waits()
    select = selectors.SelectSelector.select

    def recording_select(self, timeout=None):  # type: ignore[no-untyped-def]
        waits.append(timeout)
        waits.started.set()
        return select(self, timeout)

    monkeypatch.setattr(selectors.SelectSelector, "select", recording_select)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTSTP, signal.SIGCONT)}
    keyboard, terminal = pty.openpty()
    tty.setraw(terminal)  # as the app sets it: every key at once, not a line at a time
    driver = RecordingDriver(terminal)
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        yield driver, keyboard, waits, thread
    finally:
        driver.exit_event.set()
        thread.join(timeout=5)
        driver.close()
        os.close(keyboard)
        os.close(terminal)
        for signum, handler in handlers.items():  # the driver installs its own for Ctrl+Z
            signal.signal(signum, handler)


async def test_keys_and_a_lone_escape_arrive(monkeypatch):
    with input_thread(monkeypatch) as (driver, keyboard, _waits, _thread):
        os.write(keyboard, b"q")
        assert driver.next_key() == "q"
        os.write(keyboard, b"\x1b[B")  # Down: an escape sequence, parsed whole
        assert driver.next_key() == "down"
        os.write(keyboard, b"\x1b")  # Escape alone: only the parser's deadline tells it from a sequence
        assert driver.next_key() == "escape"


async def test_it_waits_without_a_timeout_unless_an_escape_is_pending(monkeypatch):
    with input_thread(monkeypatch) as (driver, keyboard, waits, _thread):
        os.write(keyboard, b"a")
        assert driver.next_key() == "a"
        os.write(keyboard, b"\x1b")
        assert driver.next_key() == "escape"
        os.write(keyboard, b"b")
        assert driver.next_key() == "b"
        timed = [wait for wait in waits if wait is not None]
        # The stock thread waits 0.1 s every time, ten times a second: here only the Escape's deadline is timed.
        assert waits[0] is None and len(timed) == 1 and 0 < timed[0] <= 0.1, waits


async def test_setting_the_exit_event_ends_the_thread_at_once(monkeypatch):
    with input_thread(monkeypatch) as (driver, _keyboard, waits, thread):
        assert waits.started.wait(timeout=5)
        driver.exit_event.set()
        thread.join(timeout=2)
        assert not thread.is_alive(), "the input thread did not notice the exit event"
        assert waits[:-1] == [None]  # then one short look for what was typed last, on the way out


def test_batchtui_runs_on_the_quiet_driver_where_textual_would_use_the_linux_one():
    app = build_app()
    assert isinstance(app, BatchApp)
    assert issubclass(QuietLinuxDriver, LinuxDriver) and app.driver_class is QuietLinuxDriver


async def test_once_closed_the_driver_never_writes_to_the_pipe_number_again(monkeypatch):
    with input_thread(monkeypatch) as (driver, _keyboard, _waits, _thread):
        pass  # the thread ended and the driver closed its pipe
    written: list[int] = []
    monkeypatch.setattr(os, "write", lambda fd, data: written.append(fd) or len(data))
    driver.exit_event.clear()
    driver.exit_event.set()  # a later disable_input: the closed pipe's number may be another file's by now
    assert written == []


async def test_closing_twice_closes_the_pipe_once(monkeypatch):
    with input_thread(monkeypatch) as (driver, _keyboard, _waits, _thread):
        pass
    closed: list[int] = []
    monkeypatch.setattr(os, "close", closed.append)
    driver.close()
    assert closed == []
