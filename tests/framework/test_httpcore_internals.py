"""Guards for the one httpcore internal batchtui touches: AsyncHTTP11Connection.READ_NUM_BYTES.

batchtui/api/downloads.py raises it from 64 KiB to 1 MiB so big result files stream fast. No upstream
issue asks for a public read size yet; the closest is encode/httpcore#135, which raised it from 4 KiB.
When one of these fails, re-check that workaround before moving the httpcore or httpx pin.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import httpcore
import pytest
from packaging.requirements import Requirement

import batchtui.api.downloads  # noqa: F401 - importing it sets the read size

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
UPSTREAM = "encode/httpcore#135"
RECHECK = (
    f"re-check the READ_NUM_BYTES workaround in batchtui/api/downloads.py (upstream: {UPSTREAM}): "
    "does httpcore still read the body in READ_NUM_BYTES-sized reads, and is 1 MiB still worth setting?"
)


class RecordingStream(httpcore.AsyncNetworkStream):
    """Answers one canned HTTP/1.1 response and notes the size of every read asked of it."""

    def __init__(self, answer: bytes) -> None:
        self._answer = answer
        self.read_sizes: list[int] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.read_sizes.append(max_bytes)
        answer, self._answer = self._answer, b""
        return answer

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        pass

    async def aclose(self) -> None:
        pass


def test_httpcore_still_defines_the_attribute_we_set() -> None:
    # In a fresh interpreter: setting the attribute creates it, so this process cannot tell a rename.
    probe = "import httpcore; print(vars(httpcore.AsyncHTTP11Connection).get('READ_NUM_BYTES'))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == str(64 * 1024), (
        f"httpcore {httpcore.__version__}: AsyncHTTP11Connection.READ_NUM_BYTES is {result.stdout.strip()!r}, "
        f"not 65536 (renamed, removed or a new default): {RECHECK}"
    )


def test_the_receive_path_still_reads_it() -> None:
    receive = getattr(httpcore.AsyncHTTP11Connection, "_receive_event", None)
    assert receive is not None, (
        f"httpcore {httpcore.__version__} has no AsyncHTTP11Connection._receive_event: {RECHECK}"
    )
    source = inspect.getsource(receive)
    assert re.search(r"self\._network_stream\.read\(\s*self\.READ_NUM_BYTES\b", source), (
        f"httpcore {httpcore.__version__}: _receive_event no longer reads self.READ_NUM_BYTES bytes: {RECHECK}"
    )


async def test_a_connection_reads_a_mebibyte_at_a_time() -> None:
    stream = RecordingStream(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    connection = httpcore.AsyncHTTP11Connection(httpcore.Origin(b"http", b"example.test", 80), stream)
    response = await connection.request("GET", "http://example.test/")
    assert response.content == b"ok"
    assert stream.read_sizes and set(stream.read_sizes) == {1 << 20}, (
        f"httpcore {httpcore.__version__} read {stream.read_sizes} bytes at a time, not 1 MiB: {RECHECK}"
    )


@pytest.mark.parametrize("package", ["httpcore", "httpx"])
def test_the_installed_version_is_the_one_pinned(package: str) -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [Requirement(line) for line in dependencies if Requirement(line).name == package]
    assert len(pins) == 1 and str(pins[0].specifier).startswith("~="), (
        f"pyproject.toml should pin {package} once to the patch range checked, as {package}~=X.Y.Z"
    )
    installed = version(package)
    assert pins[0].specifier.contains(installed), (
        f"{package} {installed} is installed but pyproject.toml pins {pins[0]}: {RECHECK}"
    )
