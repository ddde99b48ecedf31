"""`batchtui --demo` on a real pseudo-terminal: SIGTERM, SIGHUP, SIGINT and Ctrl-C end it the way `q` does,
the terminal is given back as it was (screen, mouse, cursor, tty settings), no partial download stays in the
cache, and an unexpected error ends it with one line and a log file instead of a traceback."""

from __future__ import annotations

import os
import re
import signal
import stat
import sys

import pytest

from batchtui.demo import DEMO_KEY, demo_config
from batchtui.sim import Simulator
from tests.e2e.pseudo_terminal import BATCHTUI, PseudoTerminal, terminal_environment

DRAWN = "Updated "  # in the status line once the first page of batches is on screen
EXIT_SECONDS = 5.0
DOWN = b"\x1b[B"
# DEC private modes on when a terminal starts; every other mode the app sets must be off again at exit.
ON_BY_DEFAULT = {"7", "25"}  # line wrap, visible cursor
MODE = re.compile(rb"\x1b\[\?([0-9;]+)([hl])")


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def run_on_terminal(cache):
    started: list[PseudoTerminal] = []

    def start(*argv: str) -> PseudoTerminal:
        terminal = PseudoTerminal(argv, terminal_environment(cache))
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()


def final_modes(output: bytes) -> dict[str, str]:
    """Each DEC private mode the program set or reset, and the state it was left in ("h" on, "l" off)."""
    modes: dict[str, str] = {}
    for numbers, state in MODE.findall(output):
        for number in numbers.split(b";"):
            modes[number.decode()] = state.decode()
    return modes


def assert_terminal_restored(terminal: PseudoTerminal) -> bytes:
    """The screen, mouse, cursor and tty as they were before the start; returns what came after the app's screen."""
    output = bytes(terminal.output)
    assert b"\x1b[?1049h" in output and b"\x1b[?1000h" in output, "the app never took the screen"
    modes = final_modes(output)
    left_on = sorted(mode for mode, state in modes.items() if state == "h" and mode not in ON_BY_DEFAULT)
    left_off = sorted(mode for mode, state in modes.items() if state == "l" and mode in ON_BY_DEFAULT)
    assert not left_on and not left_off, f"modes left on: {left_on}, defaults left off: {left_off}"
    after = output[output.rindex(b"\x1b[?1049l") :]
    for restore in (b"\x1b[?1049l", b"\x1b[?25h"):
        assert restore in after
    leave = output.rindex(b"\x1b[?1049l")
    for mouse in (b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l", b"\x1b[?1015l"):
        assert output.rindex(mouse) > output.rindex(mouse.replace(b"l", b"h")), f"{mouse!r} not sent after the last on"
        assert leave - output.rindex(mouse) < 200, f"{mouse!r} is not part of the exit sequence"
    assert terminal.attributes_now() == terminal.attributes_before, "the tty settings were not restored"
    return after


def drawn_demo(run_on_terminal, *argv: str) -> PseudoTerminal:
    terminal = run_on_terminal(*(argv or (*BATCHTUI, "--demo")))
    terminal.wait_for_text(DRAWN)
    return terminal


# 128 + the signal's number is what a shell reports ($?) for a program the signal ended.
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)], ids=lambda v: str(v)
)
def test_a_signal_ends_the_app_like_q_and_restores_the_terminal(run_on_terminal, cache, signum, status):
    terminal = drawn_demo(run_on_terminal)
    os.kill(terminal.process.pid, signum)
    assert terminal.wait_for_exit(EXIT_SECONDS) == status
    after = assert_terminal_restored(terminal)
    assert b"Traceback" not in bytes(terminal.output) and b"stopped on" not in after


def test_ctrl_c_typed_on_the_terminal_quits_with_status_0(run_on_terminal):
    terminal = drawn_demo(run_on_terminal)
    terminal.write(b"\x03")
    assert terminal.wait_for_exit(EXIT_SECONDS) == 0
    assert_terminal_restored(terminal)


def first_completed_row() -> int:
    """Where the demo lists its first completed batch with an output file (its seeded account is always the same)."""
    batches = Simulator(demo_config()).batches()[:20]
    return next(i for i, batch in enumerate(batches) if batch["status"] == "completed" and batch["output_file_id"])


def test_sigterm_mid_download_leaves_no_partial_file(run_on_terminal, cache):
    terminal = drawn_demo(run_on_terminal, sys.executable, "-m", "tests.e2e.demo_under_test", "stalled-downloads")
    drawn = len(terminal.output)
    terminal.write(DOWN * first_completed_row())
    terminal.wait_for_text("Completed", since=drawn)  # the detail pane's timeline: the batch is selected
    terminal.write(b"o")
    terminal.read_until(lambda: list(cache.rglob("*.part")), 20.0, "a partial download in the cache")
    os.kill(terminal.process.pid, signal.SIGTERM)
    assert terminal.wait_for_exit(EXIT_SECONDS) == 143
    assert_terminal_restored(terminal)
    assert not list(cache.rglob("*.part"))


def test_an_unexpected_error_ends_with_one_line_and_a_private_log(run_on_terminal, cache):
    terminal = drawn_demo(run_on_terminal, sys.executable, "-m", "tests.e2e.demo_under_test", "crash-on-copy")
    terminal.write(b"y")
    assert terminal.wait_for_exit(EXIT_SECONDS) == 1
    after = assert_terminal_restored(terminal).decode(errors="replace")
    output = bytes(terminal.output)
    assert b"Traceback" not in output and DEMO_KEY.encode() not in output
    logs = list((cache / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    shown = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", after).split())
    assert (
        "batchtui stopped on an unexpected error: RuntimeError: boom while copying with «redacted key». "
        f"Details were written to {logs[0]}." in shown
    )
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    text = logs[0].read_text()
    assert "Traceback (most recent call last)" in text and "boom while copying" in text and "copy_id" in text
    assert DEMO_KEY not in text
