"""Writing what the server sent: a page of raw batches, their request counts, the walks' state.

Each call is one short transaction, so another process waiting on the lock waits milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from batchtui.store import statuses
from batchtui.store.database import Index
from batchtui.store.fields import BatchRow, clean, row_from_raw
from batchtui.store.planner import ListPage, PageSeen, SyncState, after_page

_UPSERT = """
INSERT INTO batches (
    id, status, status_rank, terminal, created_at, endpoint, model, metadata_words,
    completed, failed, total, progress, first_seen_at, seen_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    status = excluded.status, status_rank = excluded.status_rank,
    terminal = excluded.terminal, created_at = excluded.created_at, endpoint = excluded.endpoint,
    model = excluded.model, metadata_words = excluded.metadata_words,
    completed = excluded.completed, failed = excluded.failed, total = excluded.total,
    progress = excluded.progress, seen_at = excluded.seen_at
"""


@dataclass(frozen=True, slots=True)
class WriteResult:
    new: int = 0  # batches the index did not have
    updated: int = 0
    # Items with no usable id, or older than what the index already holds: left as they were.
    skipped: int = 0
    observations: int = 0


def save_batches(
    index: Index, batches: Sequence[Any], *, seen_at: float, sync_state: SyncState | None = None
) -> WriteResult:
    """Index raw batches (a list page or one retrieve) seen at `seen_at`, and the walks' new state, together.

    An active batch's request counts are kept as an observation unless they equal its last one.
    """
    seen = int(seen_at)
    # Oldest first, so among batches created in the same second the newer one gets the higher seq.
    # Read out before the lock is taken: another process waits only for the SQL.
    rows = [row_from_raw(raw) for raw in reversed(batches)]
    skipped = sum(1 for row in rows if row is None)
    new = updated = observed = 0
    with index.writing() as connection:
        for row in rows:
            if row is None:
                continue
            outcome = _upsert(connection, row, seen)
            if outcome is None:
                skipped += 1
                continue
            new += outcome
            updated += 1 - outcome
            observed += _observe(connection, row, seen)
        if sync_state is not None:
            _save_sync_state(connection, sync_state, seen)
    return WriteResult(new=new, updated=updated, skipped=skipped, observations=observed)


def record_list_page(
    index: Index, state: SyncState, request: ListPage, body: Mapping[str, Any], *, seen_at: float
) -> tuple[SyncState, WriteResult]:
    """Index the body of a GET /batches answer to `request`, and move the walks on, in one transaction.

    Returns the new state for the next `next_history_request`. Any list page counts, the
    visible one included: page 1 is how a later run learns what is new on top.
    """
    data = body.get("data")
    batches = list(data) if isinstance(data, list) else []
    seen = PageSeen.from_raw(batches, has_more=body.get("has_more"), last_id=body.get("last_id"))
    new_state = after_page(state, request, seen)
    return new_state, save_batches(index, batches, seen_at=seen_at, sync_state=new_state)


def save_sync_state(index: Index, state: SyncState, *, now: float) -> None:
    with index.writing() as connection:
        _save_sync_state(connection, state, int(now))


def _upsert(connection: sqlite3.Connection, row: BatchRow, seen: int) -> int | None:
    """1 for a new batch, 0 for an updated one, None when the index already holds a later sighting."""
    existing = connection.execute(
        "SELECT seq, seen_at, metadata FROM batches LEFT JOIN batch_json USING (seq) WHERE id = ?", (row.id,)
    ).fetchone()
    if existing is not None and existing[1] > seen:
        return None
    metadata = json.dumps(row.metadata, ensure_ascii=True, sort_keys=True)
    cursor = connection.execute(
        _UPSERT,
        (
            row.id,
            row.status,
            statuses.sort_rank(row.status),
            int(row.terminal),
            row.created_at,
            row.endpoint,
            row.model,
            row.metadata_words,
            row.completed,
            row.failed,
            row.total,
            row.progress,
            seen,
            seen,
        ),
    )
    seq = existing[0] if existing is not None else cursor.lastrowid
    connection.execute(
        "INSERT OR REPLACE INTO batch_json (seq, raw, metadata) VALUES (?, ?, ?)", (seq, row.raw, metadata)
    )
    if existing is None or existing[2] != metadata:
        connection.execute("DELETE FROM batch_metadata WHERE seq = ?", (seq,))
        connection.executemany(
            "INSERT OR IGNORE INTO batch_metadata (seq, key, value) VALUES (?, ?, ?)",
            [(seq, key, value) for key, value in row.metadata.items()],
        )
    return 1 if existing is None else 0


def _observe(connection: sqlite3.Connection, row: BatchRow, seen: int) -> int:
    counts = (row.completed, row.failed, row.total)
    if row.terminal or counts == (None, None, None):
        return 0
    last = connection.execute(
        "SELECT completed, failed, total FROM observations WHERE batch_id = ? ORDER BY observed_at DESC LIMIT 1",
        (row.id,),
    ).fetchone()
    if last is not None and tuple(last) == counts:
        return 0
    connection.execute(
        "INSERT OR REPLACE INTO observations (batch_id, observed_at, completed, failed, total) VALUES (?, ?, ?, ?, ?)",
        (row.id, seen, *counts),
    )
    return 1


def _save_sync_state(connection: sqlite3.Connection, state: SyncState, now: int) -> None:
    anchor, top = state.anchor, state.catch_up_top
    text = _optional_clean
    connection.execute(
        """INSERT OR REPLACE INTO sync_state (
            only_row, anchor_id, anchor_created_at, backfill_after, backfill_done, backfill_pages,
            backfill_batches, catch_up_after, catch_up_top_id, catch_up_top_created_at, updated_at
        ) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            text(anchor.id if anchor else None),
            anchor.created_at if anchor else None,
            text(state.backfill_after),
            int(state.backfill_done),
            state.backfill_pages,
            state.backfill_batches,
            text(state.catch_up_after),
            text(top.id if top else None),
            top.created_at if top else None,
            now,
        ),
    )


def _optional_clean(value: str | None) -> str | None:
    return clean(value) if value is not None else None
