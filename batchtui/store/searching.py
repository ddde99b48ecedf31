"""Running a Query against the index: one page of raw batches, how many match, how many there are.

Every filter is an indexed column or the full-text index, and user text only ever reaches SQLite
as a bound parameter (inside a quoted FTS5 phrase for free words), so no input makes an SQL error.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from batchtui.store.database import Index
from batchtui.store.query import (
    Activity,
    CreatedAge,
    CreatedAt,
    EndpointIn,
    MetadataPair,
    ModelPrefix,
    Query,
    StatusIn,
    Term,
    Words,
)

# A filter matching more than 1/_WALK_SHARE of the index is faster to find by walking the sort order.
_WALK_SHARE = 20
# Sorts after any text a prefix can be followed by: the upper bound of a prefix range.
_AFTER_PREFIX = "\U0010ffff"


class Sort(StrEnum):
    CREATED = "created"
    STATUS = "status"
    PROGRESS = "progress"
    MODEL = "model"

    def next(self) -> Sort:
        """The sort after this one, for a key that cycles through them."""
        members = list(Sort)
        return members[(members.index(self) + 1) % len(members)]


# Each ends in created_at DESC, seq DESC so SQLite can walk one index backwards instead of sorting.
_ORDER = {
    Sort.CREATED: "created_at DESC, seq DESC",
    Sort.STATUS: "status_rank DESC, created_at DESC, seq DESC",
    Sort.PROGRESS: "progress DESC, created_at DESC, seq DESC",
    Sort.MODEL: "model IS NULL, model, created_at DESC, seq DESC",
}


@dataclass(frozen=True, slots=True)
class SearchResult:
    batches: tuple[dict[str, Any], ...]
    matching: int
    indexed: int
    # The query's unreadable tokens: when there are some, show them rather than "no batches match".
    problems: tuple[str, ...] = ()
    # When the stalest batch on this page was last fetched (Unix seconds), for "as of …".
    fetched_at: int | None = None


def search(
    index: Index, query: Query, *, now: float, sort: Sort = Sort.CREATED, limit: int = 50, offset: int = 0
) -> SearchResult:
    """One page of the batches that match the readable part of `query`, newest first unless sorted otherwise."""
    with index.reading() as connection:
        indexed = int(connection.execute("SELECT count(*) FROM batches").fetchone()[0])
        matching = _count(connection, query.terms, int(now), indexed)
        # Many matches: walk the sort's index and stop at the page; few: gather them and sort.
        walk = matching * _WALK_SHARE > indexed
        where, params = _where(query.terms, int(now), walk=walk)
        seqs = [
            seq
            for (seq,) in connection.execute(
                f"SELECT seq FROM batches WHERE {where} ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
                [*params, _bounded(limit), _bounded(offset)],
            )
        ]
        # Only the page's batches are read whole: the sort above touched narrow rows alone.
        found = _page_rows(connection, seqs)
    rows = [found[seq] for seq in seqs if seq in found]
    return SearchResult(
        batches=tuple(json.loads(raw) for raw, _ in rows),
        matching=matching,
        indexed=indexed,
        problems=query.problems,
        fetched_at=min((int(seen) for _, seen in rows), default=None),
    )


def _count(connection: sqlite3.Connection, terms: tuple[Term, ...], now: int, indexed: int) -> int:
    if terms and all(isinstance(term, Words) for term in terms):
        # Words alone are counted by the full-text index itself, without a lookup per match.
        wanted, unwanted = _fts_expressions(terms)
        if not unwanted:
            return _fts_count(connection, wanted)
        if not wanted:
            return indexed - _fts_count(connection, unwanted)
    if len(terms) == 1 and isinstance(terms[0], MetadataPair) and not terms[0].negated:
        # Likewise a lone pair, from its own covering index.
        rows, values = _pair_rows(terms[0])
        return int(
            connection.execute(f"SELECT count(DISTINCT seq) FROM batch_metadata WHERE {rows}", values).fetchone()[0]
        )
    where, params = _where(terms, now, walk=False)
    return int(connection.execute(f"SELECT count(*) FROM batches WHERE {where}", params).fetchone()[0])


def _fts_count(connection: sqlite3.Connection, expression: str | None) -> int:
    row = connection.execute("SELECT count(*) FROM batches_fts WHERE batches_fts MATCH ?", (expression,)).fetchone()
    return int(row[0])


def _page_rows(connection: sqlite3.Connection, seqs: list[int]) -> dict[int, tuple[str, int]]:
    found: dict[int, tuple[str, int]] = {}
    # In chunks: older SQLite builds allow only 999 parameters in one statement.
    for start in range(0, len(seqs), 500):
        chunk = seqs[start : start + 500]
        rows = connection.execute(
            f"SELECT seq, raw, seen_at FROM batch_json JOIN batches USING (seq) WHERE seq IN ({_marks(chunk)})", chunk
        )
        found.update((seq, (raw, seen)) for seq, raw, seen in rows)
    return found


def _bounded(number: int) -> int:
    # SQLite integers are 64-bit; a page bigger than that is no page anyway.
    return min(max(number, 0), 2**62)


def _fts_expressions(terms: tuple[Term, ...]) -> tuple[str | None, str | None]:
    """The MATCH expressions for the wanted words (all of them) and the unwanted ones (any of them)."""
    wanted = [_phrase(term.text) for term in terms if isinstance(term, Words) and not term.negated]
    unwanted = [_phrase(term.text) for term in terms if isinstance(term, Words) and term.negated]
    return (" ".join(wanted) or None), (" OR ".join(unwanted) or None)


def _where(terms: tuple[Term, ...], now: int, *, walk: bool) -> tuple[str, list[Any]]:
    """The WHERE clause; with `walk`, a unary + keeps SQLite from using the filters' own indexes."""
    plus = "+" if walk else ""
    conditions: list[str] = []
    params: list[Any] = []
    wanted, unwanted = _fts_expressions(terms)
    if wanted:
        conditions.append(f"{plus}seq IN (SELECT rowid FROM batches_fts WHERE batches_fts MATCH ?)")
        params.append(wanted)
    if unwanted:
        conditions.append("seq NOT IN (SELECT rowid FROM batches_fts WHERE batches_fts MATCH ?)")
        params.append(unwanted)
    for term in terms:
        if isinstance(term, Words):
            continue
        condition, values = _condition(term, now, plus)
        if getattr(term, "negated", False):
            # IFNULL: a batch with no model (or no created_at) does not match model:x, so it matches -model:x.
            condition = f"NOT IFNULL(({condition}), 0)"
        conditions.append(condition)
        params += values
    return (" AND ".join(conditions) or "1"), params


def _phrase(text: str) -> str:
    """One FTS5 phrase whose last word matches by prefix; quoting makes AND, *, - and : plain text."""
    return '"' + text.replace('"', '""') + '"*'


def _condition(term: Term, now: int, plus: str) -> tuple[str, list[Any]]:
    if isinstance(term, StatusIn):
        return f"{plus}status IN ({_marks(term.statuses)})", list(term.statuses)
    if isinstance(term, Activity):
        return f"{plus}terminal = ?", [0 if term.active else 1]
    if isinstance(term, ModelPrefix):
        ranges = " OR ".join(f"({plus}model >= ? AND {plus}model < ?)" for _ in term.prefixes)
        return f"({ranges})", [bound for prefix in term.prefixes for bound in (prefix, prefix + _AFTER_PREFIX)]
    if isinstance(term, EndpointIn):
        # Some gateways send the path without its /v1.
        paths = [*term.endpoints, *(path[3:] for path in term.endpoints if path.startswith("/v1/"))]
        return f"{plus}endpoint IN ({_marks(paths)})", paths
    if isinstance(term, MetadataPair):
        return _metadata_pair(term, plus)
    if isinstance(term, CreatedAge):
        return _created_age(term, now)
    if isinstance(term, CreatedAt):
        return _created_at(term)
    raise AssertionError(f"no condition for {term!r}")


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _metadata_pair(term: MetadataPair, plus: str) -> tuple[str, list[Any]]:
    rows, values = _pair_rows(term)
    return f"{plus}seq IN (SELECT seq FROM batch_metadata WHERE {rows})", values


def _pair_rows(term: MetadataPair) -> tuple[str, list[Any]]:
    """The batch_metadata rows of a KEY=VALUE term: the key exactly, the value by prefix."""
    if not term.value_prefix:
        return "key = ?", [term.key]
    return "key = ? AND value >= ? AND value < ?", [term.key, term.value_prefix, term.value_prefix + _AFTER_PREFIX]


def _created_age(term: CreatedAge, now: int) -> tuple[str, list[Any]]:
    threshold = now - term.seconds
    # Younger than the age means created after now minus the age.
    operator = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": ">="}[term.comparison]
    return f"created_at {operator} ?", [threshold]


def _created_at(term: CreatedAt) -> tuple[str, list[Any]]:
    start, end = term.start, term.start + term.span
    if term.comparison == ">":
        return "created_at >= ?", [end]
    if term.comparison == ">=":
        return "created_at >= ?", [start]
    if term.comparison == "<":
        return "created_at < ?", [start]
    if term.comparison == "<=":
        return "created_at < ?", [end]
    return "(created_at >= ? AND created_at < ?)", [start, end]
