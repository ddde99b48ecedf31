"""A program run on a real pseudo-terminal: what it drew, how it ended, and the tty settings it left behind."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BATCHTUI = [sys.executable, "-m", "batchtui"]


def terminal_environment(cache: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment for a child on the pty: a known TERM, its own cache, no Textual switches."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "OPENAI_", "AZURE_", "BATCHTUI_")) and key not in ("COLUMNS", "LINES")
    }
    # Its own config folder too: the developer's config file must not change what a test sees.
    env.update(
        TERM="xterm-256color",
        BATCHTUI_CACHE_DIR=str(cache),
        XDG_CONFIG_HOME=str(cache / "config"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra or {})
    return env


class PseudoTerminal:
    """`argv` with a pty as its stdin, stdout and stderr, read from the master side as it writes."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], *, columns: int = 120, rows: int = 30) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.attributes_before = termios.tcgetattr(self.slave)
        self.output = bytearray()
        # A session of its own: signals sent to the test's process group do not reach it, nor its to ours.
        self.process = subprocess.Popen(
            argv,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env=dict(env),
            cwd=ROOT,
            start_new_session=True,
        )

    def attributes_now(self) -> list:
        return termios.tcgetattr(self.slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def read_until(self, condition: Callable[[], object], timeout: float, what: str) -> None:
        """Keep reading until `condition()` holds; fail naming `what` and the tail of the output at the deadline."""
        deadline = time.monotonic() + timeout
        while not condition():
            left = deadline - time.monotonic()
            assert left > 0, (
                f"{what} not seen within {timeout} s; the program wrote, last: {bytes(self.output[-600:])!r}"
            )
            assert self.process.poll() is None, (
                f"the program ended ({self.process.returncode}) before {what}; last: {bytes(self.output[-600:])!r}"
            )
            self._read(min(left, 0.2))

    def wait_for_text(self, text: str, timeout: float = 20.0, *, since: int = 0) -> None:
        """Read until `text` is drawn, at or after byte `since` of the output."""
        needle = text.encode()
        self.read_until(lambda: self.output.find(needle, since) >= 0, timeout, repr(text))

    def wait_for_exit(self, timeout: float) -> int:
        """The exit status (negative: the signal that killed it), reading everything it wrote on the way out."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"still running {timeout} s later; last output: {bytes(self.output[-600:])!r}")
            self._read(min(left, 0.2))
        while self._read(0):
            pass  # what it wrote before exiting is still in the pty's buffer
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        os.close(self.slave)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.output += data
        return bool(data)
