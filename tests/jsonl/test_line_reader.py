"""The bounded line reader: the same lines as a plain one, except that long ones are measured, never held."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from batchtui.jsonl import line_reader
from batchtui.jsonl.line_reader import LongLine, RawLine, iter_bounded_lines, read_line

contents = st.lists(
    st.tuples(st.binary(max_size=30).map(lambda data: data.replace(b"\n", b"")), st.sampled_from([b"\n", b"\r\n"])),
    max_size=8,
).map(lambda lines: b"".join(text + line_break for text, line_break in lines))
endings = st.sampled_from([b"", b"\r", b"no break at the end"])


class RecordingFile(io.BytesIO):
    """Remembers the longest piece one call returned, to show what the reader held at once."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest_read = 0

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._seen(super().readline(size))

    def read(self, size: int | None = -1, /) -> bytes:
        return self._seen(super().read(size))

    def _seen(self, piece: bytes) -> bytes:
        self.largest_read = max(self.largest_read, len(piece))
        return piece


def expected(content: bytes, limit: int) -> list[RawLine | LongLine]:
    """What a reader that holds whole lines would say, long lines replaced by their measure."""
    lines: list[RawLine | LongLine] = []
    offset = 0
    for number, data in enumerate(io.BytesIO(content), start=1):
        length = len(data) - (2 if data.endswith(b"\r\n") else 1 if data.endswith(b"\n") else 0)
        lines.append(RawLine(number, offset, data) if length <= limit else LongLine(number, offset, length))
        offset += len(data)
    return lines


@given(content=contents, ending=endings, chunk=st.integers(1, 8), limit=st.integers(0, 40))
def test_bounded_lines_match_a_plain_split(content, ending, chunk, limit):
    content += ending
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(line_reader, "READ_CHUNK_BYTES", chunk)
        file = RecordingFile(content)

        assert list(iter_bounded_lines(file, limit)) == expected(content, limit)
        # Only a line within the limit is read whole; anything longer comes a chunk at a time.
        assert file.largest_read <= max(chunk, limit + 2)


@given(content=contents, ending=endings, chunk=st.integers(1, 8), limit=st.integers(0, 40))
def test_read_line_gives_lines_until_one_is_too_long(content, ending, chunk, limit):
    content += ending
    wanted: list[bytes | None] = []
    for line in expected(content, limit):
        if isinstance(line, LongLine):
            wanted.append(None)
            break
        wanted.append(line.data)
    else:
        wanted.append(b"")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(line_reader, "READ_CHUNK_BYTES", chunk)
        file = io.BytesIO(content)
        got = [read_line(file, limit) for _ in wanted]

    assert got == wanted


def test_read_line_stops_soon_after_the_limit(monkeypatch):
    monkeypatch.setattr(line_reader, "READ_CHUNK_BYTES", 64)
    file = io.BytesIO(b"x" * 100_000)

    assert read_line(file, 1000) is None
    assert file.tell() <= 1000 + 2 + 64


def test_progress_moves_while_a_long_line_is_skipped(tmp_path: Path):
    path = tmp_path / "one-line.jsonl"
    size = 3 * line_reader.PROGRESS_STEP + 5
    path.write_bytes(b"x" * size)
    calls: list[tuple[int, int]] = []

    with path.open("rb") as file:
        lines = list(iter_bounded_lines(file, 1000, lambda done, total: calls.append((done, total))))

    assert lines == [LongLine(1, 0, size)]
    assert [done for done, _ in calls] == [
        line_reader.PROGRESS_STEP,
        2 * line_reader.PROGRESS_STEP,
        3 * line_reader.PROGRESS_STEP,
        size,
    ]
    assert {total for _, total in calls} == {size}
