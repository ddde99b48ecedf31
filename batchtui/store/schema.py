"""The index's tables, as forward migrations: `PRAGMA user_version` says how many have run.

Append a migration to change the schema; never edit one that has shipped, since files written
by earlier versions run only the ones after their user_version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

# Every table and trigger the current schema has; a file missing one is not an index we wrote.
EXPECTED_OBJECTS = frozenset(
    {"batches", "batch_json", "batch_metadata", "observations", "batches_fts", "sync_state", "batches_fts_insert"}
)


def _run(connection: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    # One execute each: executescript() would commit the migration's transaction halfway.
    for statement in statements:
        connection.execute(statement)


def _batches_and_observations(connection: sqlite3.Connection) -> None:
    _run(
        connection,
        (
            # seq is declared so it survives VACUUM: the full-text index points at it.
            # Only narrow columns here: a filter that sorts 40,000 matches reads these rows, never the JSON.
            """CREATE TABLE batches (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                status_rank INTEGER NOT NULL,
                terminal INTEGER NOT NULL,
                created_at INTEGER,
                endpoint TEXT,
                model TEXT COLLATE NOCASE,
                metadata_words TEXT NOT NULL,
                completed INTEGER,
                failed INTEGER,
                total INTEGER,
                progress REAL,
                first_seen_at INTEGER NOT NULL,
                seen_at INTEGER NOT NULL
            )""",
            "CREATE INDEX batches_created ON batches (created_at)",
            "CREATE INDEX batches_status ON batches (status, created_at)",
            "CREATE INDEX batches_status_rank ON batches (status_rank, created_at)",
            "CREATE INDEX batches_terminal ON batches (terminal, created_at)",
            "CREATE INDEX batches_endpoint ON batches (endpoint, created_at)",
            "CREATE INDEX batches_model ON batches (model, created_at)",
            # The model sort puts batches without a model last; ORDER BY uses this same expression.
            "CREATE INDEX batches_model_sort ON batches (model IS NULL, model, created_at DESC, seq DESC)",
            "CREATE INDEX batches_progress ON batches (progress, created_at)",
            # What the server sent, exactly, beside the metadata it held (to notice when that changes).
            """CREATE TABLE batch_json (
                seq INTEGER PRIMARY KEY,
                raw TEXT NOT NULL,
                metadata TEXT NOT NULL
            )""",
            # One row per key and value; NOCASE so KEY=VALUE ignores case and still uses the index.
            """CREATE TABLE batch_metadata (
                seq INTEGER NOT NULL,
                key TEXT NOT NULL COLLATE NOCASE,
                value TEXT NOT NULL COLLATE NOCASE,
                PRIMARY KEY (seq, key, value)
            ) WITHOUT ROWID""",
            "CREATE INDEX batch_metadata_pair ON batch_metadata (key, value)",
            """CREATE TABLE observations (
                batch_id TEXT NOT NULL,
                observed_at INTEGER NOT NULL,
                completed INTEGER,
                failed INTEGER,
                total INTEGER,
                PRIMARY KEY (batch_id, observed_at)
            ) WITHOUT ROWID""",
        ),
    )


_FTS_COLUMNS = "id, model, endpoint, status, metadata_words"
_NEW = ", ".join(f"new.{column}" for column in _FTS_COLUMNS.split(", "))
_OLD = ", ".join(f"old.{column}" for column in _FTS_COLUMNS.split(", "))
_CHANGED = " OR ".join(f"old.{column} IS NOT new.{column}" for column in _FTS_COLUMNS.split(", "))


def _search_and_sync_state(connection: sqlite3.Connection) -> None:
    _run(
        connection,
        (
            # External content (the pattern sqlite-utils uses): the text lives once, in batches.
            # Prefix indexes make the one- to three-letter prefixes of search-as-you-type cheap.
            f"""CREATE VIRTUAL TABLE batches_fts USING fts5(
                {_FTS_COLUMNS}, content='batches', content_rowid='seq', prefix='1 2 3'
            )""",
            f"""CREATE TRIGGER batches_fts_insert AFTER INSERT ON batches BEGIN
                INSERT INTO batches_fts (rowid, {_FTS_COLUMNS}) VALUES (new.seq, {_NEW});
            END""",
            f"""CREATE TRIGGER batches_fts_delete AFTER DELETE ON batches BEGIN
                INSERT INTO batches_fts (batches_fts, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.seq, {_OLD});
            END""",
            # Most refreshes change only counts and raw JSON: re-index only when a searched column moved.
            f"""CREATE TRIGGER batches_fts_update AFTER UPDATE ON batches WHEN {_CHANGED} BEGIN
                INSERT INTO batches_fts (batches_fts, rowid, {_FTS_COLUMNS}) VALUES ('delete', old.seq, {_OLD});
                INSERT INTO batches_fts (rowid, {_FTS_COLUMNS}) VALUES (new.seq, {_NEW});
            END""",
            "INSERT INTO batches_fts (batches_fts) VALUES ('rebuild')",
            # One row: where the history walks stopped, so the next run carries on from there.
            """CREATE TABLE sync_state (
                only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
                anchor_id TEXT,
                anchor_created_at INTEGER,
                backfill_after TEXT,
                backfill_done INTEGER NOT NULL DEFAULT 0,
                backfill_pages INTEGER NOT NULL DEFAULT 0,
                backfill_batches INTEGER NOT NULL DEFAULT 0,
                catch_up_after TEXT,
                catch_up_top_id TEXT,
                catch_up_top_created_at INTEGER,
                updated_at INTEGER
            )""",
        ),
    )


MIGRATIONS: tuple[Migration, ...] = (_batches_and_observations, _search_and_sync_state)
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(connection: sqlite3.Connection) -> None:
    """Run the migrations a file still lacks; the caller holds a write transaction."""
    for version in range(user_version(connection), SCHEMA_VERSION):
        MIGRATIONS[version](connection)
        # PRAGMA takes no parameters; the value is our own integer.
        connection.execute(f"PRAGMA user_version = {version + 1}")


def object_names(connection: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master")}
