"""Opening the index file of one account: where it lives, its connection settings, damaged files.

One `Index` is one sqlite3 connection and belongs to the thread that opened it (sqlite3 refuses
other threads): a worker thread opens its own with `open_index()` on the same path. Several
connections and processes share one file safely: WAL lets readers run beside the one writer,
every write is a short `BEGIN IMMEDIATE` transaction, and the busy timeout covers the wait.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from batchtui.store import schema
from batchtui.store.errors import IndexUnavailable, is_corruption, translate, translated

DEFAULT_BUSY_TIMEOUT = 5.0


def index_path(cache_dir: Path | str, base_url: str, organization: str | None, project: str | None) -> Path:
    """The index file of one account; the API key is no part of it, so it is never written anywhere."""
    identity = json.dumps([base_url.strip().rstrip("/"), organization or "", project or ""])
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return Path(cache_dir) / f"batches-{digest}.sqlite3"


class Index:
    """One connection to an index file, for the thread that opened it."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so a page and its counts come from the same snapshot."""
        with translated(self.path):
            self._connection.execute("BEGIN")
            try:
                yield self._connection
            finally:
                self._end("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE takes the lock up front, where the busy timeout can wait for it."""
        with translated(self.path):
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._end("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _end(self, statement: str) -> None:
        # SQLite has already rolled back after some errors (a full disk); ending it again would hide them.
        if self._connection.in_transaction:
            self._connection.execute(statement)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Opened:
    """An open index, and one line to show when the file had to be moved aside and rebuilt."""

    index: Index
    note: str | None = None


class _NotOurs(Exception):
    """The file is readable but is no index this version can use."""


def open_index(path: Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, now: float | None = None) -> Opened:
    """Open (or create) the index at `path`, migrated to the current schema.

    A damaged file, or one written by a newer batchtui, is moved aside and rebuilt (see Opened.note).
    Raises IndexUnavailable when the index cannot be written at all, IndexBusy when another
    process held it past the busy timeout.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IndexUnavailable(
            f"cannot create {path.parent}: batchtui runs without its batch index ({error.strerror or error})"
        ) from error
    try:
        return Opened(_connect(path, busy_timeout))
    except _NotOurs as reason:
        return rebuild_index(path, str(reason), busy_timeout=busy_timeout, now=now)
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            return rebuild_index(path, "it was damaged", busy_timeout=busy_timeout, now=now)
        raise translate(error, path) from error


def rebuild_index(
    path: Path, reason: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, now: float | None = None
) -> Opened:
    """Move the file at `path` aside and start an empty index there; close every Index on it first."""
    aside = _move_aside(path, time.time() if now is None else now)
    try:
        index = _connect(path, busy_timeout)
    except _NotOurs as error:
        raise IndexUnavailable(f"cannot rebuild the batch index: {error}") from error
    except sqlite3.DatabaseError as error:
        raise IndexUnavailable(f"cannot rebuild the batch index: {translate(error, path).message}") from error
    where = f"moved aside to {aside.name}" if aside else "moved aside"
    return Opened(index, note=f"The batch index was unusable ({reason}): {where} and rebuilt.")


def _connect(path: Path, busy_timeout: float) -> Index:
    # Your batches' metadata is yours alone, like the downloaded files: SQLite gives -wal and -shm the same mode.
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # isolation_level=None: the store opens its own transactions, so none is left open by surprise.
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    try:
        # Checked before anything is written, so a file moved aside is exactly as it was found.
        current = _check(connection)
        connection.execute("PRAGMA journal_mode = WAL")
        # NORMAL is safe under WAL; a power cut can lose the last write, which the next sync refetches.
        connection.execute("PRAGMA synchronous = NORMAL")
        if not current:
            _migrate(connection)
    except BaseException:
        connection.close()
        raise
    return Index(connection, path)


def _migrate(connection: sqlite3.Connection) -> None:
    # Only an old file takes the write lock: opening a current one never waits for another batchtui.
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Check again inside the lock: another process may have migrated the file while we waited.
        if not _check(connection):
            schema.migrate(connection)
            missing = schema.EXPECTED_OBJECTS - schema.object_names(connection)
            if missing:
                raise _NotOurs(f"it lacks {', '.join(sorted(missing))}")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _check(connection: sqlite3.Connection) -> bool:
    """True when the file is at the current schema; raises _NotOurs when it never can be."""
    version = schema.user_version(connection)
    if version > schema.SCHEMA_VERSION:
        raise _NotOurs(f"a newer batchtui wrote it, schema {version}")
    names = schema.object_names(connection)
    if version == 0 and names:
        raise _NotOurs("it holds tables batchtui did not write")
    return version == schema.SCHEMA_VERSION and names >= schema.EXPECTED_OBJECTS


def _move_aside(path: Path, now: float) -> Path | None:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    attempt = 1
    while aside.exists():
        attempt += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{attempt}")
    try:
        path.rename(aside)
    except FileNotFoundError:
        # Another batchtui moved it first, or it never existed.
        aside_or_none = None
    except OSError as error:
        raise IndexUnavailable(f"cannot move the damaged batch index aside: {error.strerror or error}") from error
    else:
        aside_or_none = aside
    # The journal files belong to the old file: the WAL goes with it, the shared-memory index is only a cache.
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and aside_or_none is not None:
        with suppress(OSError):
            wal.rename(aside_or_none.with_name(aside_or_none.name + "-wal"))
    for leftover in (wal, path.with_name(path.name + "-shm")):
        with suppress(OSError):
            leftover.unlink()
    return aside_or_none
