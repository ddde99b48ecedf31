"""The account at a glance, from the index alone: what is running, how many requests, what ended today.

"Ended today" means the batch's own end time as the server sent it (completed_at, failed_at, expired_at
or cancelled_at in the raw JSON) is at or after `day_start`. That is the server's clock, so a batch
indexed late still counts on the day it ended, and one seen again tomorrow does not count twice. Only
batches created in the `ENDED_LOOKBACK_SECONDS` before `day_start` are read, through the (status,
created_at) index: no server allows a window over 7 days, so nothing that ended today is older.
A finished batch without its end time is not counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from batchtui.store import statuses
from batchtui.store.database import Index
from batchtui.store.fields import timestamp
from batchtui.store.reads import Observation

ENDED_LOOKBACK_SECONDS = 8 * 86_400  # the longest completion window a server accepts (7 days), and a day more
# The newest observations of each batch that `observations_for` returns: enough for a rate and a sparkline.
OBSERVATIONS_PER_BATCH = 240
# Each way of ending, and the field that says when: the status's own name with `_at` (completed_at, …).
ENDED_AT = {status: f"{status}_at" for status in sorted(statuses.TERMINAL)}


@dataclass(frozen=True, slots=True)
class FinishedBatch:
    """A batch that ended today, with what its cost is estimated from (the usage object as the server sent it)."""

    id: str
    status: str
    ended_at: int
    created_at: int | None
    endpoint: str | None
    model: str | None
    usage: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AccountCounts:
    validating: int = 0
    in_progress: int = 0
    finalizing: int = 0
    cancelling: int = 0
    other_active: int = 0  # not ended, in a status this version does not know
    requests_done: int = 0  # completed or failed, across the batches that have not ended
    requests_to_run: int = 0  # neither yet, across those that have not ended and have a total
    completed_today: int = 0
    failed_today: int = 0
    expired_today: int = 0
    cancelled_today: int = 0
    finished_today: tuple[FinishedBatch, ...] = ()  # every batch counted in the four above

    @property
    def active(self) -> int:
        return self.validating + self.in_progress + self.finalizing + self.cancelling + self.other_active


# total(), not sum(): it never overflows on absurd counts a hostile server sends, where sum() raises.
_ACTIVE = """
SELECT status, count(*),
       total(coalesce(completed, 0) + coalesce(failed, 0)),
       total(CASE WHEN total > 0 THEN max(total - coalesce(completed, 0) - coalesce(failed, 0), 0) END)
FROM batches WHERE terminal = 0 GROUP BY status
"""

_ENDED = f"""
SELECT id, status, created_at, endpoint, model,
       {", ".join(f"json_extract(raw, '$.{field}')" for field in ENDED_AT.values())},
       CASE WHEN json_type(raw, '$.usage') = 'object' THEN json_extract(raw, '$.usage') END
FROM batches JOIN batch_json USING (seq)
WHERE status IN ({", ".join(f"'{status}'" for status in ENDED_AT)}) AND created_at >= ?
"""
_USAGE_COLUMN = 5 + len(ENDED_AT)


def account_counts(index: Index, day_start: int) -> AccountCounts:
    """Counts from the index, no request: `day_start` is the Unix second today began (the caller's time zone)."""
    with index.reading() as connection:
        active = connection.execute(_ACTIVE).fetchall()
        ended = _ended_since(connection, day_start)
    by_status = {str(row[0]): int(row[1]) for row in active}
    ended_counts = {status: sum(1 for batch in ended if batch.status == status) for status in ENDED_AT}
    return AccountCounts(
        validating=by_status.get("validating", 0),
        in_progress=by_status.get("in_progress", 0),
        finalizing=by_status.get("finalizing", 0),
        cancelling=by_status.get("cancelling", 0),
        other_active=sum(count for status, count in by_status.items() if status not in statuses.ACTIVE),
        requests_done=int(sum(row[2] for row in active)),
        requests_to_run=int(sum(row[3] for row in active)),
        completed_today=ended_counts["completed"],
        failed_today=ended_counts["failed"],
        expired_today=ended_counts["expired"],
        cancelled_today=ended_counts["cancelled"],
        finished_today=tuple(ended),
    )


def _ended_since(connection: sqlite3.Connection, day_start: int) -> list[FinishedBatch]:
    ended: list[FinishedBatch] = []
    for row in connection.execute(_ENDED, (day_start - ENDED_LOOKBACK_SECONDS,)):
        status = str(row[1])
        fields = dict(zip(ENDED_AT.values(), row[5:_USAGE_COLUMN], strict=True))
        # Azure sends ISO text where OpenAI sends numbers: read it as the rest of the store does.
        ended_at = timestamp(fields[ENDED_AT[status]])
        if ended_at is None or ended_at < day_start:
            continue
        ended.append(
            FinishedBatch(
                id=str(row[0]),
                status=status,
                ended_at=ended_at,
                created_at=row[2],
                endpoint=row[3],
                model=row[4],
                usage=_object(row[_USAGE_COLUMN]),
            )
        )
    return ended


def _object(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else None


# One parameter carries every id (json_each), so any number of ids is one query; each id's newest
# rows are found through the primary key (batch_id, observed_at), never by reading its whole history.
_OBSERVATIONS = """
SELECT o.batch_id, o.observed_at, o.completed, o.failed, o.total
FROM (SELECT DISTINCT value AS id FROM json_each(?)) AS wanted
JOIN observations AS o ON o.batch_id = wanted.id AND o.observed_at >= coalesce(
    (SELECT observed_at FROM observations WHERE batch_id = wanted.id ORDER BY observed_at DESC LIMIT 1 OFFSET ?),
    -9223372036854775808)
ORDER BY o.batch_id, o.observed_at
"""


def observations_for(
    index: Index, batch_ids: Iterable[str], *, per_batch: int = OBSERVATIONS_PER_BATCH
) -> dict[str, list[Observation]]:
    """The newest `per_batch` observations of each batch, oldest first, in one query; a batch without any is absent."""
    ids = [batch_id for batch_id in dict.fromkeys(batch_ids) if isinstance(batch_id, str)]
    if not ids or per_batch < 1:
        return {}
    found: dict[str, list[Observation]] = {}
    with index.reading() as connection:
        rows = connection.execute(_OBSERVATIONS, (json.dumps(ids), per_batch - 1)).fetchall()
    for batch_id, *counts in rows:
        found.setdefault(batch_id, []).append(Observation(*counts))
    return found
