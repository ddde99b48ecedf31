"""Reading single things back: one batch, its observations, the active ones, the walks' state."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from batchtui.store.database import Index
from batchtui.store.planner import ActiveBatch, Mark, SyncState


@dataclass(frozen=True, slots=True)
class Observation:
    """A batch's request counts as they were at `observed_at` (Unix seconds)."""

    observed_at: int
    completed: int | None
    failed: int | None
    total: int | None


def get_batch(index: Index, batch_id: str) -> dict[str, Any] | None:
    """The batch exactly as the server last sent it, unknown fields included."""
    with index.reading() as connection:
        row = connection.execute(
            "SELECT raw FROM batches JOIN batch_json USING (seq) WHERE id = ?", (batch_id,)
        ).fetchone()
    return json.loads(row[0]) if row is not None else None


def observations(index: Index, batch_id: str) -> list[Observation]:
    """Every recorded change of a batch's request counts, oldest first."""
    with index.reading() as connection:
        rows = connection.execute(
            "SELECT observed_at, completed, failed, total FROM observations WHERE batch_id = ? ORDER BY observed_at",
            (batch_id,),
        ).fetchall()
    return [Observation(*row) for row in rows]


def active_batches(index: Index) -> list[ActiveBatch]:
    """Every indexed batch that has not ended, with when it was last fetched and its place in the list."""
    with index.reading() as connection:
        rows = connection.execute(
            "SELECT id, status, created_at, seen_at FROM batches WHERE terminal = 0 ORDER BY created_at DESC, seq DESC"
        ).fetchall()
        depths = _depths(connection, [row[2] for row in rows])
    return [
        ActiveBatch(id=row[0], status=row[1], created_at=row[2], refreshed_at=row[3], depth=depth)
        for row, depth in zip(rows, depths, strict=True)
    ]


def _depths(connection: sqlite3.Connection, created_ats: list[int | None]) -> list[int]:
    """How many batches are newer than each (newest first): one walk down the index, not one count each."""
    depths: list[int] = []
    depth, upper = 0, None
    for created_at in created_ats:
        if created_at is None:
            # No creation time sorts last, below every batch that has one.
            depths.append(_count(connection, "created_at IS NOT NULL", ()))
            continue
        if upper is None:
            depth = _count(connection, "created_at > ?", (created_at,))
        elif created_at < upper:
            depth += _count(connection, "created_at > ? AND created_at <= ?", (created_at, upper))
        upper = created_at
        depths.append(depth)
    return depths


def _count(connection: sqlite3.Connection, where: str, params: tuple[int, ...]) -> int:
    return int(connection.execute(f"SELECT count(*) FROM batches WHERE {where}", params).fetchone()[0])


def indexed_count(index: Index) -> int:
    with index.reading() as connection:
        return int(connection.execute("SELECT count(*) FROM batches").fetchone()[0])


def load_sync_state(index: Index) -> SyncState:
    """Where the history walks stopped last time; a fresh state for a fresh index."""
    with index.reading() as connection:
        row = connection.execute(
            """SELECT anchor_id, anchor_created_at, backfill_after, backfill_done, backfill_pages,
                      backfill_batches, catch_up_after, catch_up_top_id, catch_up_top_created_at
               FROM sync_state WHERE only_row = 1"""
        ).fetchone()
    if row is None:
        return SyncState()
    return SyncState(
        anchor=Mark(row[0], row[1]) if row[0] is not None else None,
        backfill_after=row[2],
        backfill_done=bool(row[3]),
        backfill_pages=row[4],
        backfill_batches=row[5],
        catch_up_after=row[6],
        catch_up_top=Mark(row[7], row[8]) if row[7] is not None else None,
    )
