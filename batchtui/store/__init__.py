"""The local index of every batch: SQLite (WAL, FTS5), the search language, the sync planner.

Plain data in, plain data out: raw batch JSON as the server sent it, no Textual, no httpx, no
pydantic. Time is always passed in (`now`, `seen_at`), so callers and tests choose the clock.
"""

from batchtui.store.database import Index, Opened, index_path, open_index, rebuild_index
from batchtui.store.errors import IndexBusy, IndexCorrupt, IndexUnavailable, StoreError
from batchtui.store.query import Query, parse_query, toggle_active
from batchtui.store.reads import Observation, active_batches, get_batch, indexed_count, load_sync_state, observations
from batchtui.store.searching import SearchResult, Sort, search
from batchtui.store.writes import WriteResult, record_list_page, save_batches, save_sync_state

__all__ = [
    "Index",
    "IndexBusy",
    "IndexCorrupt",
    "IndexUnavailable",
    "Observation",
    "Opened",
    "Query",
    "SearchResult",
    "Sort",
    "StoreError",
    "WriteResult",
    "active_batches",
    "get_batch",
    "index_path",
    "indexed_count",
    "load_sync_state",
    "observations",
    "open_index",
    "parse_query",
    "rebuild_index",
    "record_list_page",
    "save_batches",
    "save_sync_state",
    "search",
    "toggle_active",
]
