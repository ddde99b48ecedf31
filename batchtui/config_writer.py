"""Writing the chosen theme back to the config file, touching nothing else in it.

Only the top-level `theme = ...` line changes (its trailing comment kept); every other byte stays.
Without a theme line, one is put before the first [table] (and the comments right above it), or at
the end. Without a file, one is created holding just the theme, readable by its owner alone.
The write is atomic (a temporary file, then os.replace) and keeps the file's mode; a symlinked file
is written where the link points, so a dotfiles checkout keeps its link.
Anything that stops the write is an OSError, and the file is then as it was.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path

NEW_FILE_MODE = 0o600

_HEADER = re.compile(r"\s*\[")
_THEME = re.compile(
    r"(?P<before>\s*theme\s*=\s*)(?P<value>\"(?:[^\"\\\r\n]|\\.)*\"|'[^'\r\n]*')(?P<after>[ \t]*(?:#[^\r\n]*)?)(?P<end>\r?\n?)"
)


def write_theme(path: Path, theme: str) -> None:
    """Set the top-level theme in the file at path (created if missing); OSError if it cannot be done."""
    target = path.resolve()
    try:
        old = target.read_bytes()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _replace(target, theme_line(theme, "\n").encode("utf-8"), NEW_FILE_MODE)
        return
    mode = stat.S_IMODE(target.stat().st_mode)
    if not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        # Also as root, who may write anyway: a file made read-only is left alone.
        raise PermissionError(f"{target} is read-only")
    _replace(target, with_theme(old, theme, target), mode)


def theme_line(theme: str, newline: str) -> str:
    # JSON's string escapes are a subset of TOML's basic string's.
    return f"theme = {json.dumps(theme, ensure_ascii=False)}{newline}"


def with_theme(old: bytes, theme: str, path: Path) -> bytes:
    """The file's bytes with the theme set; OSError when it is not TOML this can edit safely."""
    try:
        text = old.decode("utf-8")
        before = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise OSError(f"{path} is not valid TOML now, so the theme was not written to it") from None
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    index, match = _theme_line(lines)
    if match is not None:
        lines[index] = f"{match['before']}{json.dumps(theme, ensure_ascii=False)}{match['after']}{match['end']}"
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        lines.insert(index, theme_line(theme, newline))
    new = "".join(lines)
    # The edit is checked, not trusted: the file must mean what it meant, with only the theme changed.
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, "theme": theme}:
        raise OSError(f"{path}: could not find where to write the theme safely, so it was not written")
    return new.encode("utf-8")


def _theme_line(lines: list[str]) -> tuple[int, re.Match[str] | None]:
    """The top-level theme line and its parts, or where to insert one (and None)."""
    for index, line in enumerate(lines):
        if _HEADER.match(line):
            # Before the comments that sit right above the first table: they belong to it.
            while index > 0 and lines[index - 1].lstrip().startswith("#"):
                index -= 1
            return index, None
        match = _THEME.fullmatch(line)
        if match:
            return index, match
    return len(lines), None


def _replace(target: Path, data: bytes, mode: int) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
