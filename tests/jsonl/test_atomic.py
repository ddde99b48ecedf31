from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from batchtui.jsonl import atomic
from batchtui.jsonl.atomic import atomic_write_from


def test_writes_chunks(tmp_path):
    dest = tmp_path / "out.jsonl"

    written = atomic_write_from(iter([b"one\n", b"", b"two\n"]), dest)

    assert written == 8
    assert dest.read_bytes() == b"one\ntwo\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_writes_bytes(tmp_path):
    dest = tmp_path / "out.jsonl"

    assert atomic_write_from(b"abc", dest) == 3
    assert dest.read_bytes() == b"abc"


def test_copies_a_source_file_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "COPY_CHUNK", 7)
    source = tmp_path / "source.bin"
    source.write_bytes(bytes(range(256)) * 3)
    dest = tmp_path / "copy.bin"

    assert atomic_write_from(source, dest) == 768
    assert dest.read_bytes() == source.read_bytes()
    assert atomic_write_from(str(source), tmp_path / "copy2.bin") == 768


def test_refuses_to_overwrite_and_leaves_the_file_alone(tmp_path):
    dest = tmp_path / "out.jsonl"
    dest.write_bytes(b"keep me")

    with pytest.raises(FileExistsError):
        atomic_write_from([b"new"], dest)

    assert dest.read_bytes() == b"keep me"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_overwrites_when_asked(tmp_path):
    dest = tmp_path / "out.jsonl"
    dest.write_bytes(b"old contents")

    atomic_write_from([b"new"], dest, overwrite=True)

    assert dest.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def failing_chunks(dest_seen_during_write: list[bool], dest) -> Iterator[bytes]:
    yield b"partial data\n"
    dest_seen_during_write.append(dest.exists())
    raise ConnectionResetError("download interrupted")


def test_a_failure_mid_write_leaves_no_file_and_no_temp(tmp_path):
    dest = tmp_path / "out.jsonl"
    seen: list[bool] = []

    with pytest.raises(ConnectionResetError):
        atomic_write_from(failing_chunks(seen, dest), dest)

    assert seen == [False]
    assert os.listdir(tmp_path) == []


def test_a_failure_keeps_the_old_file_when_overwriting(tmp_path):
    dest = tmp_path / "out.jsonl"
    dest.write_bytes(b"old")

    with pytest.raises(ConnectionResetError):
        atomic_write_from(failing_chunks([], dest), dest, overwrite=True)

    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_a_file_created_while_writing_is_not_replaced(tmp_path):
    dest = tmp_path / "out.jsonl"

    def chunks() -> Iterator[bytes]:
        yield b"ours"
        dest.write_bytes(b"someone else's")

    with pytest.raises(FileExistsError):
        atomic_write_from(chunks(), dest)

    assert dest.read_bytes() == b"someone else's"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_works_where_hard_links_are_not_supported(tmp_path, monkeypatch):
    def no_links(*_args, **_kwargs):
        raise PermissionError("hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    dest = tmp_path / "out.jsonl"

    atomic_write_from([b"data"], dest)

    assert dest.read_bytes() == b"data"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_a_missing_source_file_leaves_nothing_behind(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_from(tmp_path / "missing.bin", tmp_path / "out.bin")

    assert os.listdir(tmp_path) == []
