"""Children the benchmarks start: programs on a pseudo-terminal, servers on loopback, measured one-shot runs.

Every wait has a deadline, and every child is ended by its own process id.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import tempfile
import termios
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.environment import API_KEY, ROOT, TERMINAL_SIZE

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    """Something a benchmark needs did not happen in time; the message says what."""


class PtySession:
    """A program on a pseudo-terminal of fixed size; its output is read as a terminal would receive it."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], size: tuple[int, int] = TERMINAL_SIZE) -> None:
        master, slave = pty.openpty()
        columns, lines = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
        )
        os.close(slave)
        self.fd = master
        self.output = bytearray()  # everything since the last mark()
        self.closed = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self, timeout: float) -> bool:
        """Append what arrives within `timeout`; False when nothing did."""
        if self.closed:
            time.sleep(max(0.0, timeout))
            return False
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the program exited and the terminal is gone
            data = b""
        if not data:
            self.closed = True
            return False
        self.output += data
        return True

    def mark(self) -> None:
        self.output.clear()

    def wait_for(self, needle: bytes, timeout: float) -> float:
        """perf_counter() at the moment `needle` has arrived since the last mark()."""
        deadline = time.perf_counter() + timeout
        searched = 0
        while True:
            found = self.output.find(needle, max(0, searched - len(needle)))
            if found >= 0:
                return time.perf_counter()
            searched = len(self.output)
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (self.closed and self.process.poll() is not None):
                tail = bytes(self.output[-300:])
                raise BenchError(f"{needle!r} did not appear on the terminal in {timeout:g} s (last bytes: {tail!r})")
            self._read(remaining)

    def settle(self, quiet: float = 0.03, limit: float = 1.0) -> None:
        """Read until the program has written nothing for `quiet` seconds (at most `limit` seconds)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(min(quiet, deadline - time.perf_counter())):
            self.output.clear()
        self.output.clear()

    def pump(self, seconds: float) -> None:
        """Keep reading (and dropping) output for `seconds`, so the program never blocks on a full terminal."""
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            self._read(remaining)
            self.output.clear()

    def send(self, data: bytes) -> float:
        sent = time.perf_counter()
        os.write(self.fd, data)
        return sent

    def close(self, quit_keys: bytes = b"q", timeout: float = 5.0) -> None:
        if self.process.poll() is None and quit_keys:
            with contextlib.suppress(OSError):
                os.write(self.fd, quit_keys)
            deadline = time.perf_counter() + timeout
            while self.process.poll() is None and time.perf_counter() < deadline:
                self._read(0.05)
        end(self.process)
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def end(process: subprocess.Popen, timeout: float = 5.0) -> None:
    """Stop one child we started: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


@contextlib.contextmanager
def server(argv: Sequence[str], env: dict[str, str], timeout: float = 60.0) -> Iterator[str]:
    """Start a server that prints '... serving http://127.0.0.1:PORT/v1' first; yields that URL."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=errors, env=env, cwd=ROOT)
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], timeout)
            line = process.stdout.readline().decode() if ready else ""
            match = re.search(r"serving (http://\S+)", line)
            if match is None:
                end(process)
                errors.seek(0)
                raise BenchError(f"server {argv[-1]!r} did not start: {line!r} {errors.read()[-500:]!r}")
            yield match.group(1)
        finally:
            end(process)


def simulator(python: Path, *args: str, env: dict[str, str]) -> contextlib.AbstractContextManager[str]:
    """The project's simulator as its own process, with the bench key."""
    return server([str(python), "-m", "batchtui.sim", "--port", "0", "--api-key", API_KEY, *args], env)


def account_server(python: Path, *args: str, env: dict[str, str]) -> contextlib.AbstractContextManager[str]:
    """The simulator with one of the bench's own accounts (see bench/accounts.py)."""
    return server([str(python), "-m", "bench.accounts", "--port", "0", *args], env)


def get_json(url: str, key: str = API_KEY, timeout: float = 30.0) -> object:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def list_batches(base_url: str, limit: int, after: str | None = None) -> list[dict]:
    query = f"limit={limit}" + (f"&after={after}" if after else "")
    page = get_json(f"{base_url}/batches?{query}")
    assert isinstance(page, dict)
    return page["data"]


def batch_ids(base_url: str, limit: int, after: str | None = None) -> list[str]:
    return [batch["id"] for batch in list_batches(base_url, limit, after)]


def screen_needle(batch_id: str) -> bytes:
    """What of a batch id the table cell shows, long enough to be unique (the cell is 20 columns)."""
    return batch_id[:15].encode()


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_kib: int  # the child's VmHWM, read from /proc while it ran (and from the child itself, if it says)
    cpu_seconds: float

    def report(self) -> dict:
        """The JSON object a driver prints as its last line."""
        if self.returncode != 0:
            raise BenchError(f"child failed ({self.returncode}): {self.stderr[-800:]}")
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_child(argv: Sequence[str], env: dict[str, str], timeout: float = 300.0) -> ChildRun:
    """Run to completion, watching its peak RSS; CPU time comes from the kernel when it exits.

    Not ru_maxrss: the kernel carries the parent's high-water mark into a child across fork and
    exec, so a child of this (large) process would report at least this process's size.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=ROOT)
        deadline = time.perf_counter() + timeout
        peak = 0
        while True:
            with contextlib.suppress(OSError, KeyError):  # gone, or a zombie without memory
                peak = max(peak, memory_kib(process.pid)["VmHWM"])
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() > deadline:
                end(process)
                raise BenchError(f"{argv[0]} did not finish in {timeout:g} s")
            time.sleep(0.002)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        with contextlib.suppress(ValueError, IndexError, AttributeError):
            peak = max(peak, int(json.loads(stdout.strip().splitlines()[-1]).get("peak_kib", 0)))
        return ChildRun(
            process.returncode, stdout, err.read().decode(errors="replace"), peak, usage.ru_utime + usage.ru_stime
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a running process, from /proc/PID/status."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found
