"""Write a file so that it either appears whole or not at all."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from typing import BinaryIO

COPY_CHUNK = 1024 * 1024

Source = Iterable[bytes] | bytes | str | os.PathLike[str]


def atomic_write_from(source: Source, dest: str | os.PathLike[str], overwrite: bool = False) -> int:
    """Write `source` (byte chunks, bytes, or the path of a file to copy) to `dest`; return the size.

    The data goes to a temporary file beside `dest`, is synced, then renamed into place,
    so a crash or a full disk never leaves a partial `dest`. FileExistsError if `dest`
    exists and `overwrite` is False.
    """
    dest = os.fspath(dest)
    if not overwrite and os.path.lexists(dest):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dest)
    directory = os.path.dirname(os.path.abspath(dest))
    descriptor, temp_path = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(dest)}.", suffix=".part")
    # mkstemp makes the file private; a saved result file should get the usual permissions.
    os.chmod(temp_path, 0o666 & ~_current_umask())
    try:
        with os.fdopen(descriptor, "wb") as temp:
            written = _write_source(source, temp)
            temp.flush()
            os.fsync(temp.fileno())
        _move_into_place(temp_path, dest, overwrite)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
    _sync_directory(directory)
    return written


def _write_source(source: Source, temp: BinaryIO) -> int:
    if isinstance(source, bytes):
        return temp.write(source)
    if isinstance(source, (str, os.PathLike)):
        written = 0
        with open(source, "rb") as src:
            while chunk := src.read(COPY_CHUNK):
                written += temp.write(chunk)
        return written
    return sum(temp.write(chunk) for chunk in source)


def _move_into_place(temp_path: str, dest: str, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp_path, dest)
        return
    try:
        # A hard link fails if dest exists, closing the gap between our check and the rename.
        os.link(temp_path, dest)
    except FileExistsError:
        raise
    except OSError:
        # Some filesystems (FAT, some network mounts) have no hard links: check, then rename.
        if os.path.lexists(dest):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dest) from None
        os.replace(temp_path, dest)
        return
    os.unlink(temp_path)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable; best effort, as Windows cannot open a directory."""
    with suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
