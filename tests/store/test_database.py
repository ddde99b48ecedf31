"""Opening an index: the file's settings, its name, and every way a file can be unusable."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from batchtui.store import (
    Index,
    IndexBusy,
    IndexCorrupt,
    IndexUnavailable,
    StoreError,
    get_batch,
    index_path,
    indexed_count,
    open_index,
    rebuild_index,
    save_batches,
    search,
)
from batchtui.store.query import parse_query
from batchtui.store.schema import SCHEMA_VERSION
from tests.support.batches import history_batch

NOW = 1_790_000_000


def raw_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_index_has_the_schema_in_wal_mode(index: Index, index_file: Path) -> None:
    with index.reading() as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"batches", "batch_json", "batch_metadata", "observations", "sync_state", "batches_fts"} <= names
    assert {"batches_status", "batches_created", "batches_endpoint", "batches_model"} <= names
    assert index_file.exists()


def test_reopening_a_healthy_index_keeps_its_batches_and_says_nothing(index_file: Path) -> None:
    with open_index(index_file).index as first:
        save_batches(first, [history_batch("batch_kept")], seen_at=NOW)
    opened = open_index(index_file)
    with opened.index as second:
        assert opened.note is None
        assert get_batch(second, "batch_kept") is not None


def test_the_file_name_hashes_the_account_and_never_holds_the_key(tmp_path: Path) -> None:
    path = index_path(tmp_path, "https://api.openai.com/v1/", "org-1", "proj-1")
    assert path.parent == tmp_path
    assert path.name.startswith("batches-") and path.name.endswith(".sqlite3")
    assert "openai" not in path.name and "org-1" not in path.name
    assert path == index_path(str(tmp_path), "https://api.openai.com/v1", "org-1", "proj-1")
    others = {
        index_path(tmp_path, "https://api.openai.com/v1", "org-2", "proj-1"),
        index_path(tmp_path, "https://api.openai.com/v1", "org-1", None),
        index_path(tmp_path, "http://127.0.0.1:8080/v1", "org-1", "proj-1"),
    }
    assert path not in others and len(others) == 3
    # The organization and project cannot run together into another account's identity.
    assert index_path(tmp_path, "u", "ab", "c") != index_path(tmp_path, "u", "a", "bc")


def test_the_store_takes_no_api_key_anywhere() -> None:
    import inspect

    import batchtui.store as store

    for name in store.__all__:
        member = getattr(store, name)
        if callable(member) and not isinstance(member, type):
            parameters = inspect.signature(member).parameters
            assert not any("key" in parameter.lower() for parameter in parameters), name


# --- migrations -------------------------------------------------------------------------------


def test_an_empty_version_0_file_is_migrated_to_the_current_schema(index_file: Path) -> None:
    index_file.parent.mkdir(parents=True)
    raw_connection(index_file).close()
    assert index_file.exists()
    opened = open_index(index_file)
    with opened.index as index:
        assert opened.note is None
        save_batches(index, [history_batch("batch_new")], seen_at=NOW)
        assert indexed_count(index) == 1


def write_version_1(path: Path) -> None:
    """A file as the first schema left it, by hand: no full-text index, no sync state, two batches."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = raw_connection(path)
    connection.executescript(
        """
        CREATE TABLE batches (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
            status_rank INTEGER NOT NULL, terminal INTEGER NOT NULL, created_at INTEGER, endpoint TEXT,
            model TEXT COLLATE NOCASE, metadata_words TEXT NOT NULL, completed INTEGER, failed INTEGER,
            total INTEGER, progress REAL, first_seen_at INTEGER NOT NULL, seen_at INTEGER NOT NULL
        );
        CREATE INDEX batches_created ON batches (created_at);
        CREATE TABLE batch_json (seq INTEGER PRIMARY KEY, raw TEXT NOT NULL, metadata TEXT NOT NULL);
        CREATE TABLE batch_metadata (
            seq INTEGER NOT NULL, key TEXT NOT NULL COLLATE NOCASE, value TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (seq, key, value)
        ) WITHOUT ROWID;
        CREATE TABLE observations (
            batch_id TEXT NOT NULL, observed_at INTEGER NOT NULL, completed INTEGER, failed INTEGER,
            total INTEGER, PRIMARY KEY (batch_id, observed_at)
        ) WITHOUT ROWID;
        INSERT INTO batches VALUES
            (1, 'batch_old_one', 'completed', 1, 1, 1000, '/v1/embeddings', 'text-embedding-3-small',
             'project apollo', 5, 0, 5, 1.0, 1000, 1000),
            (2, 'batch_old_two', 'in_progress', 8, 0, 2000, '/v1/chat/completions', 'gpt-4o',
             'project gemini', 1, 0, 5, 0.2, 2000, 2000);
        INSERT INTO batch_json VALUES
            (1, '{"id":"batch_old_one","status":"completed","created_at":1000}', '{"project":"apollo"}'),
            (2, '{"id":"batch_old_two","status":"in_progress","created_at":2000}', '{"project":"gemini"}');
        INSERT INTO batch_metadata VALUES (1, 'project', 'apollo'), (2, 'project', 'gemini');
        PRAGMA user_version = 1;
        """
    )
    connection.close()


def test_a_version_1_file_gains_full_text_search_over_the_batches_it_already_had(index_file: Path) -> None:
    write_version_1(index_file)
    opened = open_index(index_file)
    with opened.index as index:
        assert opened.note is None
        result = search(index, parse_query("apollo"), now=NOW)
        assert [found["id"] for found in result.batches] == ["batch_old_one"]
        assert search(index, parse_query("project=gemini"), now=NOW).matching == 1
        with index.reading() as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # The update trigger keeps the new index in step with rows that predate it.
        save_batches(index, [history_batch("batch_old_one", metadata={"project": "voyager"})], seen_at=NOW)
        assert search(index, parse_query("apollo"), now=NOW).matching == 0
        assert search(index, parse_query("voyager"), now=NOW).matching == 1


# --- unusable files ------------------------------------------------------------------------------


def corrupt_garbage(path: Path) -> None:
    path.write_bytes(b"this is not an SQLite file, it is a shopping list\n" * 200)


def corrupt_truncated(path: Path) -> None:
    with open_index(path).index as index:
        save_batches(index, [history_batch(f"batch_{n}", metadata={"n": "x" * 400}) for n in range(300)], seen_at=NOW)
    data = path.read_bytes()
    assert not path.with_name(path.name + "-wal").exists()
    path.write_bytes(data[: len(data) // 2])


def corrupt_future_version(path: Path) -> None:
    with open_index(path).index as index:
        save_batches(index, [history_batch("batch_from_the_future")], seen_at=NOW)
    connection = raw_connection(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()


def corrupt_foreign_tables(path: Path) -> None:
    connection = raw_connection(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (corrupt_garbage, "it was damaged"),
        (corrupt_truncated, "it was damaged"),
        (corrupt_future_version, f"a newer batchtui wrote it, schema {SCHEMA_VERSION + 1}"),
        (corrupt_foreign_tables, "it holds tables batchtui did not write"),
    ],
)
def test_an_unusable_file_is_moved_aside_and_rebuilt_with_one_line_saying_so(
    index_file: Path, damage: object, reason: str
) -> None:
    index_file.parent.mkdir(parents=True, exist_ok=True)
    damage(index_file)  # type: ignore[operator]
    damaged_bytes = index_file.read_bytes()
    opened = open_index(index_file, now=1_790_000_000)
    with opened.index as index:
        assert opened.note is not None
        assert reason in opened.note
        assert "batches-test.sqlite3.corrupt-20260921T" in opened.note
        assert "\n" not in opened.note
        assert indexed_count(index) == 0
        save_batches(index, [history_batch("batch_after_rebuild")], seen_at=NOW)
    aside = [path for path in index_file.parent.iterdir() if ".corrupt-" in path.name and "-wal" not in path.name]
    assert len(aside) == 1
    assert aside[0].read_bytes() == damaged_bytes
    # The rebuilt file is healthy: opening it again says nothing.
    again = open_index(index_file)
    with again.index as index:
        assert again.note is None
        assert get_batch(index, "batch_after_rebuild") is not None


def test_two_rebuilds_in_the_same_second_keep_both_damaged_files(index_file: Path) -> None:
    index_file.parent.mkdir(parents=True)
    for _ in range(2):
        corrupt_garbage(index_file)
        open_index(index_file, now=NOW).index.close()
    assert len([path for path in index_file.parent.iterdir() if ".corrupt-" in path.name]) == 2


def test_damage_found_while_in_use_is_a_typed_error_and_rebuild_recovers(index_file: Path) -> None:
    with open_index(index_file).index as index:
        save_batches(index, [history_batch(f"batch_{n}", metadata={"pad": "y" * 300}) for n in range(400)], seen_at=NOW)
        with index.reading() as connection:
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'batch_json'").fetchone()[0]
    # Noise over the raw JSON's root page only: opening reads the schema, not this, so it looks healthy.
    with index_file.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)
    opened = open_index(index_file)
    assert opened.note is None
    with opened.index as index, pytest.raises(IndexCorrupt) as caught:
        search(index, parse_query("pad"), now=NOW)
    assert "damaged" in caught.value.message
    rebuilt = rebuild_index(index_file, "it was damaged")
    with rebuilt.index as fresh:
        assert rebuilt.note is not None
        assert indexed_count(fresh) == 0


def test_a_directory_that_cannot_be_created_makes_the_index_unavailable(tmp_path: Path) -> None:
    # A file where the directory should be: unwritable even for root, unlike a chmod.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(IndexUnavailable) as caught:
        open_index(blocker / "cache" / "index.sqlite3")
    assert "\n" not in caught.value.message
    assert "runs without its batch index" in caught.value.message


def test_a_path_that_is_a_directory_makes_the_index_unavailable(tmp_path: Path) -> None:
    (tmp_path / "index.sqlite3").mkdir()
    with pytest.raises(IndexUnavailable) as caught:
        open_index(tmp_path / "index.sqlite3")
    assert "batch index" in caught.value.message


def test_a_full_disk_is_reported_as_unavailable_not_as_an_sqlite_error(index: Index) -> None:
    with index.writing() as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    # What a full disk looks like to SQLite: no page can be added.
    with index.reading() as connection:
        connection.execute(f"PRAGMA max_page_count = {pages}")
    big = [history_batch(f"batch_{n}", metadata={"pad": "z" * 500}) for n in range(200)]
    with pytest.raises(IndexUnavailable) as caught:
        save_batches(index, big, seen_at=NOW)
    assert caught.value.message.startswith("the disk is full")
    # The failed page was rolled back whole; the index still answers.
    assert indexed_count(index) == 0


# --- sharing one file ------------------------------------------------------------------------------


def test_two_connections_in_two_threads_write_the_same_file_at_once(index_file: Path) -> None:
    open_index(index_file).index.close()
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            with open_index(index_file).index as index:
                start.wait()
                for page in range(20):
                    batches = [history_batch(f"batch_{name}_{page}_{n}", status="in_progress") for n in range(20)]
                    save_batches(index, batches, seen_at=NOW + page)
                    search(index, parse_query(name), now=NOW)
        except (StoreError, sqlite3.Error) as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_index(index_file).index as index:
        assert indexed_count(index) == 2 * 20 * 20
        assert search(index, parse_query("left"), now=NOW).matching == 400


WRITER = """
import sys
from pathlib import Path
from batchtui.store import open_index, save_batches
from tests.support.batches import history_batch
with open_index(Path(sys.argv[1])).index as index:
    print("ready", flush=True)
    sys.stdin.readline()
    for page in range(30):
        save_batches(index, [history_batch(f"batch_other_{page}_{n}") for n in range(20)], seen_at=page)
print("done", flush=True)
"""


def test_two_processes_write_the_same_file_at_once(index_file: Path) -> None:
    open_index(index_file).index.close()
    other = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(index_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert other.stdin is not None and other.stdout is not None
    with open_index(index_file).index as index:
        assert other.stdout.readline().strip() == "ready"
        other.stdin.write("go\n")
        other.stdin.flush()
        for page in range(30):
            save_batches(index, [history_batch(f"batch_mine_{page}_{n}") for n in range(20)], seen_at=page)
        out, err = other.communicate(timeout=60)
        assert other.returncode == 0, err
        assert out.strip() == "done"
        assert indexed_count(index) == 2 * 30 * 20


def test_a_lock_held_past_the_timeout_is_index_busy_never_database_is_locked(index_file: Path) -> None:
    open_index(index_file).index.close()
    holder = raw_connection(index_file)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with open_index(index_file, busy_timeout=0.05).index as index:
            with pytest.raises(IndexBusy) as caught:
                save_batches(index, [history_batch("batch_waiting")], seen_at=NOW)
            assert "locked" not in caught.value.message
            # Readers are not blocked by a writer under WAL.
            assert indexed_count(index) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_index_belongs_to_the_thread_that_opened_it(index: Index) -> None:
    failures: list[Exception] = []

    def elsewhere() -> None:
        try:
            indexed_count(index)
        except sqlite3.ProgrammingError as error:
            failures.append(error)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    # A mistake in the caller, loudly: sqlite3 refuses, and the store does not hide it.
    assert len(failures) == 1


def test_a_new_index_is_readable_by_its_owner_alone(tmp_path) -> None:
    path = tmp_path / "index.sqlite3"
    opened = open_index(path)
    with opened.index.writing() as connection:
        connection.execute("SELECT 1")
    assert path.stat().st_mode & 0o777 == 0o600
    for companion in tmp_path.glob("index.sqlite3-*"):
        assert companion.stat().st_mode & 0o077 == 0, companion
    opened.index.close()
