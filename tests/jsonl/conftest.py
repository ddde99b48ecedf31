from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Row = dict[str, Any] | str | bytes
WriteJsonl = Callable[..., Path]


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    """Write rows as lines: dicts as compact JSON, str and bytes as given, each ending in a newline."""

    def write(name: str, rows: list[Row]) -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(_as_line(row) for row in rows))
        return path

    return write


def _as_line(row: Row) -> bytes:
    if isinstance(row, dict):
        return json.dumps(row).encode() + b"\n"
    if isinstance(row, str):
        return row.encode() + b"\n"
    return row + b"\n"
