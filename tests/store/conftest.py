from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from batchtui.store import Index, open_index


@pytest.fixture
def index_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "batches-test.sqlite3"


@pytest.fixture
def index(index_file: Path) -> Iterator[Index]:
    opened = open_index(index_file)
    assert opened.note is None
    with opened.index as index:
        yield index
