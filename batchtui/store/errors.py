"""The expected ways an index fails, each with one line the UI can show as it is.

sqlite3 errors never leave the store: `translated()` turns them into these.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Primary result codes (the low byte of an extended code), from sqlite3.h.
_PERM, _BUSY, _LOCKED, _NOMEM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3,
    5,
    6,
    7,
    8,
    10,
    11,
    13,
    14,
    26,
)


# Errors in the store's own SQL or use of sqlite3: bugs to see, not conditions to report.
_OUR_MISTAKES = (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.NotSupportedError)


class StoreError(Exception):
    """An index problem the user can be told about in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IndexUnavailable(StoreError):
    """The index cannot be used at all (unwritable directory, full disk): run without it."""


class IndexBusy(StoreError):
    """Another process held the index longer than the busy timeout; the same call can be tried again."""


class IndexCorrupt(StoreError):
    """The file turned out damaged while in use; `rebuild()` moves it aside and starts afresh."""


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_corruption(error: sqlite3.Error) -> bool:
    return primary_code(error) in (_CORRUPT, _NOTADB)


def translate(error: sqlite3.Error, path: Path) -> StoreError:
    """The StoreError that says what went wrong with the index at `path`."""
    code = primary_code(error)
    if code in (_BUSY, _LOCKED):
        return IndexBusy(f"the batch index is busy in another batchtui; try again ({path.name})")
    if code == _FULL:
        return IndexUnavailable(f"the disk is full: batchtui runs without its batch index ({path.parent})")
    if code in (_CORRUPT, _NOTADB):
        return IndexCorrupt(f"the batch index is damaged: {path}")
    if code in (_PERM, _READONLY, _CANTOPEN, _IOERR, _NOMEM):
        return IndexUnavailable(f"cannot write the batch index in {path.parent}: batchtui runs without it ({error})")
    return IndexUnavailable(f"the batch index failed: batchtui runs without it ({error})")


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Run a block of sqlite3 calls; an sqlite3 error leaves it as a StoreError."""
    try:
        yield
    except _OUR_MISTAKES:
        raise
    except sqlite3.DatabaseError as error:
        raise translate(error, path) from error
