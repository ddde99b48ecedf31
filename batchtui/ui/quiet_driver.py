"""Textual's Linux/macOS driver, with an input thread that sleeps until there is something to do.

The stock input thread wakes ten times a second (`selector.select(0.1)`) whether or not a key came, so the
parser can time out a lone Escape: 0.2% of a core in every Textual app, a third of what batchtui costs while it
watches batches that do not change. This one waits with no timeout while the parser holds nothing, and only
until the parser's own deadline while it does (an Escape that may start a sequence); a pipe wakes it to exit.

Delete when Textual's input thread stops polling (no upstream issue found); tests/framework guards the copy.
"""

from __future__ import annotations

import os
import selectors
import threading
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class _WakingEvent(threading.Event):
    """The driver's exit event: setting it also wakes the input thread out of its wait."""

    def __init__(self, wake_fd: int) -> None:
        super().__init__()
        self.wake_fd: int | None = wake_fd  # None once the driver closed the pipe: its number may be reused

    def set(self) -> None:
        super().set()
        if self.wake_fd is None:
            return
        try:
            os.write(self.wake_fd, b"\0")
        except BlockingIOError:  # the pipe is full: the thread has a wake-up waiting already
            pass


class QuietLinuxDriver(LinuxDriver):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self.exit_event: _WakingEvent = _WakingEvent(self._wake_write)

    def close(self) -> None:
        super().close()
        if self.exit_event.wake_fd is None:
            return  # closed already: the numbers may be other files' by now
        self.exit_event.wake_fd = None
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)

    def run_input_thread(self) -> None:
        """LinuxDriver.run_input_thread (textual 8.2.8), but waiting on input, the wake pipe and the parser's
        deadline instead of polling."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        wake = self._wake_read
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def wait() -> float | None:
            # The parser sets a deadline while a read may time out (a lone Escape); otherwise nothing can happen
            # until a key comes.
            deadline = parser._timeout_time
            return None if deadline is None else max(0.0, deadline - get_time())

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]],
            final: bool = False,
        ) -> None:
            for last, (selector_key, mask) in loop_last(selector_events):
                if selector_key.fd == wake:
                    read(wake, 64)
                    continue
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(wait()))
            selector.unregister(self.fileno)
            selector.unregister(wake)
            process_selector_events(selector.select(0.1), final=True)

        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass
