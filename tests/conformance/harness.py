"""Prism processes, a recording transport, and the checks every conformance test ends with.

Prism serves the spec's paths as written (`/batches`; the servers entry's `/v1` is not a
prefix), answers 401 unless a bearer key is sent, and with `--errors` answers a request the
spec forbids with 422 and a response it forbids with 500. A test hears Prism's objections two
ways: every exchange its client made (status, `sl-violations` header) and Prism's log between
two marker requests.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import httpx

from batchtui.api import BatchClient, ClientConfig, RetryPolicy

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SPEC = HERE / "batch-schemas.yaml"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "spec" / "batch-schemas.yaml"
PRISM = REPO_ROOT / "node_modules" / ".bin" / "prism"
API_KEY = "sk-conformance-test"
AUTH = {"Authorization": f"Bearer {API_KEY}"}

# Raise BATCHTUI_CONFORMANCE_REPEATS for a longer soak of the random mode.
RANDOM_REPEATS = int(os.environ.get("BATCHTUI_CONFORMANCE_REPEATS", "10"))
STARTUP_SECONDS = 30.0
LOG_SYNC_SECONDS = 10.0
POLL_SECONDS = 0.02
START_ATTEMPTS = 3

# Prism's words for a request or response the spec forbids (request-side, response-side, final verdict).
VIOLATION_LINE = re.compile(
    r"Violation:|did not pass the validation rules|Request terminated with error|\[VALIDATOR\].*\b(?:error|warning)\b"
)
ANSI = re.compile(rb"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Mode:
    name: str
    flags: tuple[str, ...]
    # Static and seeded answers are the same on every call (Prism reseeds per request), so one call
    # says it all; unseeded dynamic answers differ each time, so tests repeat their calls.
    repeats: int = 1

    @property
    def deterministic(self) -> bool:
        return "--dynamic" not in self.flags or "--seed" in self.flags


MODES = (
    Mode("static", ("--errors",)),
    Mode("dynamic-seed-1", ("--errors", "--dynamic", "--seed", "batchtui-1")),
    Mode("dynamic-seed-2", ("--errors", "--dynamic", "--seed", "batchtui-2")),
    Mode("dynamic-seed-3", ("--errors", "--dynamic", "--seed", "batchtui-3")),
    Mode("dynamic-random", ("--errors", "--dynamic"), repeats=RANDOM_REPEATS),
)


# Prism processes


@dataclass
class PrismServer:
    mode: Mode
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_bytes(self) -> bytes:
        return ANSI.sub(b"", self.log_path.read_bytes())

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_bytes().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def sync_log(self) -> int:
        """Send a marker request and wait until Prism logged it; return where its line starts.

        Everything Prism logged for earlier requests is before that offset, so two markers
        bracket exactly the lines of what happened between them.
        """
        marker = f"conformance-marker-{uuid.uuid4().hex}".encode()
        httpx.get(f"{self.url}/batches/{marker.decode()}", headers=AUTH, timeout=5)
        deadline = time.monotonic() + LOG_SYNC_SECONDS
        while True:
            log = self.log_bytes()
            found = log.find(marker)
            if found >= 0:
                return log.rfind(b"\n", 0, found) + 1
            if time.monotonic() > deadline:
                raise AssertionError(f"Prism ({self.mode.name}) never logged {marker.decode()}; log: {self.log_path}")
            time.sleep(POLL_SECONDS)

    def violation_lines(self, start: int, end: int) -> list[str]:
        text = self.log_bytes()[start:end].decode("utf-8", "replace")
        return [line.strip() for line in text.splitlines() if VIOLATION_LINE.search(line)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


class PrismDidNotStart(Exception):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch(mode: Mode, log_dir: Path, attempt: int) -> PrismServer:
    port = _free_port()
    log_path = log_dir / f"prism-{mode.name}-{attempt}.log"
    command = [str(PRISM), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port), *mode.flags]
    env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT, env=env
        )
    return PrismServer(mode, port, log_path, process)


def wait_until_answering(server: PrismServer, deadline: float) -> None:
    """Poll until the port answers with a Prism error page (so it is ours, not another process)."""
    while True:
        if server.process.poll() is not None:
            raise PrismDidNotStart(f"exited with code {server.process.returncode}")
        try:
            response = httpx.get(f"{server.url}/", timeout=1)
        except httpx.TransportError:
            pass
        else:
            if "stoplight.io/prism" in response.text:
                return
        if time.monotonic() > deadline:
            raise PrismDidNotStart(f"not answering after {STARTUP_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS)


# What the client sent and got


@dataclass
class Exchange:
    request: httpx.Request
    status_code: int
    headers: httpx.Headers
    body: bytes | None  # None for file content, which the client must be free to stream

    def json(self) -> Any:
        assert self.body is not None
        return json.loads(self.body)

    @property
    def violations_header(self) -> str | None:
        return self.headers.get("sl-violations")

    def describe(self) -> str:
        return f"{self.request.method} {self.request.url.raw_path.decode()} -> {self.status_code}"

    def form_parts(self) -> dict[str, Message]:
        """The multipart body's parts by field name (Prism ignores fields the spec does not list)."""
        head = f"Content-Type: {self.request.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser().parsebytes(head + self.request.content)
        assert message.is_multipart(), "not a multipart body"
        parts = {}
        for part in message.get_payload():
            name = part.get_param("name", header="content-disposition")
            assert name not in parts, f"field {name!r} sent twice"
            parts[name] = part
        return parts


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real network transport, keeping each exchange (JSON bodies buffered) for the test to inspect."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            # Buffer the (small, test-made) upload so its parts can be inspected: see Exchange.form_parts.
            await request.aread()
        response = await self._inner.handle_async_request(request)
        if request.url.path.endswith("/content"):
            self.exchanges.append(Exchange(request, response.status_code, response.headers, None))
            return response
        body = await response.aread()
        self.exchanges.append(Exchange(request, response.status_code, response.headers, body))
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, extensions=response.extensions
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Conformance:
    """One test's client, wired to one Prism, with both ways of hearing what Prism objected to."""

    server: PrismServer
    client: BatchClient
    transport: RecordingTransport
    log_start: int

    @property
    def mode(self) -> Mode:
        return self.server.mode

    @property
    def exchanges(self) -> list[Exchange]:
        return self.transport.exchanges

    def last(self, method: str, path_suffix: str = "") -> Exchange:
        for exchange in reversed(self.exchanges):
            if exchange.request.method == method and exchange.request.url.path.endswith(path_suffix):
                return exchange
        raise AssertionError(f"no {method} …{path_suffix} among {[e.describe() for e in self.exchanges]}")

    def objections(self) -> list[str]:
        """Everything Prism said against this test's traffic: error statuses, violation headers, log lines."""
        found = [e.describe() for e in self.exchanges if e.status_code >= 400]
        found += [f"{e.describe()} sl-violations: {e.violations_header}" for e in self.exchanges if e.violations_header]
        found += self.server.violation_lines(self.log_start, self.server.sync_log())
        return found

    def assert_conformant(self) -> None:
        assert self.exchanges, "the test made no request"
        objections = self.objections()
        assert not objections, (
            f"Prism ({self.mode.name}) objected:\n  " + "\n  ".join(objections) + f"\nlog: {self.server.log_path}"
        )


@asynccontextmanager
async def harness_for(server: PrismServer, api_key: str | None = API_KEY) -> AsyncIterator[Conformance]:
    transport = RecordingTransport()
    # No retries: a 422 or 500 from Prism must surface, not be retried into something else.
    config = ClientConfig(api_key=api_key, base_url=server.url, retry=RetryPolicy(max_retries=0))
    client = BatchClient(config, transport=transport)
    try:
        yield Conformance(server, client, transport, server.sync_log())
    finally:
        await client.aclose()


# What the client made of it


def assert_kept(raw: Any, parsed: Any, where: str = "$") -> None:
    """Every value the server sent is in the parsed model's dump, unchanged (extra fields included)."""
    if isinstance(raw, dict):
        assert isinstance(parsed, dict), f"{where}: sent an object, parsed {parsed!r}"
        for key, value in raw.items():
            assert key in parsed, f"{where}.{key}: sent {value!r}, dropped by the client"
            assert_kept(value, parsed[key], f"{where}.{key}")
    elif isinstance(raw, list):
        assert isinstance(parsed, list) and len(parsed) == len(raw), f"{where}: sent {len(raw)} items, got {parsed!r}"
        for index, (sent, kept) in enumerate(zip(raw, parsed, strict=True)):
            assert_kept(sent, kept, f"{where}[{index}]")
    else:
        assert parsed == raw and type(parsed) is type(raw), f"{where}: sent {raw!r}, parsed {parsed!r}"
