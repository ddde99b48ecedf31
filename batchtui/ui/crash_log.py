"""What an unexpected error leaves behind: a log file with the traceback, never the key, and one line to show."""

from __future__ import annotations

import os
import platform
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from textual.worker import WorkerFailed

from batchtui import __version__
from batchtui.paths import cache_dir

MAX_SHOWN = 200  # characters of the error's own message on the terminal line


@dataclass(frozen=True)
class CrashReport:
    error: str
    """The error's type and message on one line, key removed: `RuntimeError: boom`."""
    log: Path | None
    """Where the traceback was written, or None when it could not be."""
    log_problem: str | None = None

    def message(self) -> str:
        if self.log is not None:
            where = f"Details were written to {self.log}."
        else:
            where = f"The details could not be written: {self.log_problem}."
        return f"batchtui stopped on an unexpected error: {self.error}. {where}"


def crash_log_dir() -> Path:
    """Beside the cache, so BATCHTUI_CACHE_DIR moves it too."""
    return cache_dir() / "logs"


def record_crash(error: BaseException, redact: Callable[[str], str], directory: Path | None = None) -> CrashReport:
    """Write the traceback of `error` (a worker's own error, not Textual's wrapper) and say where."""
    cause = error.error if isinstance(error, WorkerFailed) else error
    # Redacted before it is cut, so a key across the cut cannot leave half of itself behind.
    summary = _one_line(redact(f"{type(cause).__name__}: {cause}"), MAX_SHOWN)
    text = redact(_header() + "".join(traceback.format_exception(cause)))
    try:
        path = _write_private(directory or crash_log_dir(), text)
    except OSError as problem:
        return CrashReport(summary, None, _one_line(redact(str(problem)), MAX_SHOWN))
    return CrashReport(summary, path)


def _header() -> str:
    versions = f"batchtui {__version__} · textual {version('textual')} · Python {platform.python_version()}"
    return f"{time.strftime('%Y-%m-%d %H:%M:%S %z')} · {versions} · {platform.platform()}\n\n"


def _write_private(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    path = directory / f"{stem}.log"
    # Created 0600 and never opened over an existing file: a traceback can quote what the user was working on.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as out:
        out.write(text)
    return path


def _one_line(text: str, limit: int) -> str:
    flat = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return flat if len(flat) <= limit else f"{flat[: limit - 1]}…"
