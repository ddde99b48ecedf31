"""Mock servers (Prism, Steady), a recording transport, and the checks every conformance test ends with.

Both serve the spec's paths as written (`/batches`; the servers entry's `/v1` is not a prefix)
and check each request against the spec. Prism also demands a bearer key (401 without one) and,
with `--errors`, answers a forbidden request with 422 and a forbidden response with 500. Steady
reports every diagnostic in `X-Steady-*` response headers and its JSON log, and answers a
structural fault (its E3xxx codes) with 400. A test hears objections two ways: every exchange
its client made (status and headers) and the server's log between two marker requests.
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
from typing import Any, ClassVar

import httpx

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.retry import RetryPolicy
from tests.support.loopback import PLAIN_HTTP

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SPEC = HERE / "batch-schemas.yaml"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "spec" / "batch-schemas.yaml"
NODE_BIN = REPO_ROOT / "node_modules" / ".bin"
PRISM = NODE_BIN / "prism"
STEADY = NODE_BIN / "steady"
API_KEY = "sk-conformance-test"
AUTH = {"Authorization": f"Bearer {API_KEY}"}

# Raise BATCHTUI_CONFORMANCE_REPEATS for a longer soak of the random modes.
RANDOM_REPEATS = int(os.environ.get("BATCHTUI_CONFORMANCE_REPEATS", "10"))
STARTUP_SECONDS = 60.0  # all of one tool's processes, on a shared 2-core machine
LOG_SYNC_SECONDS = 10.0
POLL_SECONDS = 0.02
START_ATTEMPTS = 3

# Prism's words for a request or response the spec forbids (request-side, response-side, final verdict).
PRISM_VIOLATION_LINE = re.compile(
    r"Violation:|did not pass the validation rules|Request terminated with error|\[VALIDATOR\].*\b(?:error|warning)\b"
)
ANSI = re.compile(rb"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Mode:
    tool: str  # "prism" or "steady"
    name: str
    flags: tuple[str, ...]
    # Deterministic modes answer the same on every call (Prism reseeds per request, Steady too
    # unless told -1), so one call says it all; random modes differ each time, so tests repeat.
    deterministic: bool = True
    repeats: int = 1
    # Sent with every request of this mode. Modes with the same flags share one process (see conftest.py).
    headers: tuple[tuple[str, str], ...] = ()
    # Each request its own `Prefer: seed=…` (Prism): random answers from a seeded process.
    fresh_seed: bool = False

    @property
    def id(self) -> str:
        return f"{self.tool}-{self.name}"


SEEDED = ("--errors", "--dynamic", "--seed", "batchtui-1")


def _seed(number: int) -> tuple[tuple[str, str], ...]:
    return (("Prefer", f"seed=batchtui-{number}"),)


PRISM_MODES = (
    # One process answers every mode: Prism's `Prefer` header overrides --dynamic and --seed per request, and
    # the answers are then those of a process started with the header's setting (checked byte for byte, status,
    # headers and body, on every path the client calls; test_modes.py keeps an eye on it). The random mode is a
    # new seed on every request, as a process without --seed draws one. Each process less saves ~2.5 s of CPU.
    Mode("prism", "static", SEEDED, headers=(("Prefer", "dynamic=false"),)),
    Mode("prism", "dynamic-seed-1", SEEDED),
    Mode("prism", "dynamic-seed-2", SEEDED, headers=_seed(2)),
    Mode("prism", "dynamic-seed-3", SEEDED, headers=_seed(3)),
    Mode("prism", "dynamic-random", SEEDED, deterministic=False, repeats=RANDOM_REPEATS, fresh_seed=True),
)
STEADY_MODES = (
    # Steady's answers carry only the required fields; arrays have one item unless told otherwise.
    Mode("steady", "seeded", ()),
    Mode("steady", "empty-lists", ("--generator-array-size=0",)),
    # Lists of 1-5 batches. (--generator-array-min=0 does not give 0-5: every list comes back empty.)
    Mode(
        "steady",
        "random",
        ("--generator-seed=-1", "--generator-array-max=5"),
        deterministic=False,
        repeats=RANDOM_REPEATS,
    ),
)
MODES = PRISM_MODES + STEADY_MODES
TOOLS = ("prism", "steady")


# Server processes


@dataclass
class MockServer:
    """One mock server process on a loopback port, logging to a file."""

    mode: Mode
    port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    binary: ClassVar[Path]
    label: ClassVar[str]
    port_taken_words: ClassVar[bytes]

    @classmethod
    def command(cls, mode: Mode, port: int) -> list[str]:
        raise NotImplementedError

    @classmethod
    def launch(cls, mode: Mode, log_dir: Path, attempt: int) -> MockServer:
        port = _free_port()
        log_path = log_dir / f"{mode.id}-{attempt}.log"
        env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                cls.command(mode, port),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
                env=env,
            )
        return cls(mode, port, log_path, process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tool(self) -> str:
        return self.mode.tool

    def describe(self) -> str:
        return f"{self.label} ({self.mode.name})"

    def log_bytes(self) -> bytes:
        return ANSI.sub(b"", self.log_path.read_bytes())

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_bytes().decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def port_taken(self) -> bool:
        return self.port_taken_words in self.log_bytes()

    def is_ours(self, response: httpx.Response) -> bool:
        """Whether a probe's answer came from this kind of server (not another process on the port)."""
        raise NotImplementedError

    probe_path: ClassVar[str] = "/"

    def wait_until_answering(self, deadline: float) -> None:
        while True:
            if self.process.poll() is not None:
                raise ServerDidNotStart(f"exited with code {self.process.returncode}")
            try:
                response = httpx.get(f"{self.url}{self.probe_path}", timeout=1, verify=PLAIN_HTTP)
            except httpx.TransportError:
                pass
            else:
                if self.is_ours(response):
                    return
            if time.monotonic() > deadline:
                raise ServerDidNotStart(f"not answering after {STARTUP_SECONDS:.0f} s")
            time.sleep(POLL_SECONDS)

    def sync_log(self) -> int:
        """Send a marker request and wait until the server logged it; return where its line starts.

        Everything logged for earlier requests is before that offset, so two markers bracket
        exactly the lines of what happened between them.
        """
        marker = f"conformance-marker-{uuid.uuid4().hex}".encode()
        httpx.get(f"{self.url}/batches/{marker.decode()}", headers=AUTH, timeout=5, verify=PLAIN_HTTP)
        deadline = time.monotonic() + LOG_SYNC_SECONDS
        while True:
            log = self.log_bytes()
            found = log.find(marker)
            if found >= 0:
                return log.rfind(b"\n", 0, found) + 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.describe()} never logged {marker.decode()}; log: {self.log_path}")
            time.sleep(POLL_SECONDS)

    def exchange_objections(self, exchange: Exchange) -> list[str]:
        """What the server said against one request in its answer (status, headers)."""
        raise NotImplementedError

    def log_objections(self, start: int, end: int) -> list[str]:
        """What the server logged against the requests between two log offsets."""
        raise NotImplementedError

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


class PrismServer(MockServer):
    binary = PRISM
    label = "Prism"
    port_taken_words = b"EADDRINUSE"

    @classmethod
    def command(cls, mode: Mode, port: int) -> list[str]:
        return [str(PRISM), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port), *mode.flags]

    def is_ours(self, response: httpx.Response) -> bool:
        # Prism answers an unknown path with a problem+json naming its docs.
        return "stoplight.io/prism" in response.text

    def exchange_objections(self, exchange: Exchange) -> list[str]:
        found = [exchange.describe()] if exchange.status_code >= 400 else []
        if violations := exchange.headers.get("sl-violations"):
            found.append(f"{exchange.describe()} sl-violations: {violations}")
        return found

    def log_objections(self, start: int, end: int) -> list[str]:
        text = self.log_bytes()[start:end].decode("utf-8", "replace")
        return [line.strip() for line in text.splitlines() if PRISM_VIOLATION_LINE.search(line)]


class SteadyServer(MockServer):
    """Steady with its JSON log: one record per request, each with the diagnostics it found.

    Every diagnostic counts, not only those that make `X-Steady-Request-Valid: false`: Steady
    calls a value outside `minimum`/`maxLength`/`pattern` a content note (E4xxx, info) and still
    answers 200, but the client sent something the spec forbids.
    """

    binary = STEADY
    label = "Steady"
    port_taken_words = b"Address already in use"
    probe_path = "/_x-steady/health"

    @classmethod
    def command(cls, mode: Mode, port: int) -> list[str]:
        # --reject-on-sdk-error is the default in 0.22; said here so a change of default cannot
        # turn a structural fault back into a 200 with only headers to tell.
        return [
            str(STEADY),
            "--host",
            "127.0.0.1",
            "-p",
            str(port),
            "--log-format=json",
            "--no-color",
            "--reject-on-sdk-error=true",
            *mode.flags,
            str(SPEC),
        ]

    def is_ours(self, response: httpx.Response) -> bool:
        try:
            health = response.json()
        except ValueError:
            return False
        return isinstance(health, dict) and health.get("status") == "healthy" and "version" in health

    def log_records(self, start: int = 0, end: int | None = None) -> list[dict[str, Any]]:
        """The log's JSON records; a line that is not one is kept as {"unparsed": line}."""
        records = []
        for line in self.log_bytes()[start:end].decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except ValueError:
                records.append({"unparsed": line})
        return records

    def exchange_objections(self, exchange: Exchange) -> list[str]:
        headers = exchange.headers
        count = headers.get("x-steady-error-count")
        valid = headers.get("x-steady-request-valid")
        if count is None or valid is None:
            return [f"{exchange.describe()} carries no X-Steady verdict (not Steady answering?)"]
        found = [exchange.describe()] if exchange.status_code >= 400 else []
        if valid != "true" or count != "0":
            diagnostics = "; ".join(
                f"{headers.get(f'x-steady-error-{n}-code')} {headers.get(f'x-steady-error-{n}-path')}: "
                f"{headers.get(f'x-steady-error-{n}-message')}"
                for n in range(1, int(count) + 1)
            )
            found.append(f"{exchange.describe()} X-Steady-Request-Valid: {valid}, {count} diagnostics: {diagnostics}")
        return found

    def log_objections(self, start: int, end: int) -> list[str]:
        found = []
        for record in self.log_records(start, end):
            if "unparsed" in record:
                found.append(f"log line that is not JSON: {record['unparsed']}")
                continue
            request = record.get("request", {})
            where = f"{request.get('method')} {request.get('path')}{request.get('query', '')}"
            found += [
                f"[log] {where}: {d.get('code')} {d.get('requestPath')}: {d.get('message')} ({d.get('severity')})"
                for d in record.get("diagnostics", [])
            ]
        return found


SERVER_CLASSES: dict[str, type[MockServer]] = {"prism": PrismServer, "steady": SteadyServer}


class ServerDidNotStart(Exception):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

    def describe(self) -> str:
        return f"{self.request.method} {self.request.url.raw_path.decode()} -> {self.status_code}"

    def form_parts(self) -> dict[str, Message]:
        """The multipart body's parts by field name (Prism ignores fields the spec does not list; Steady does not)."""
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

    def __init__(self, headers: tuple[tuple[str, str], ...] = (), *, fresh_seed: bool = False) -> None:
        self._inner = httpx.AsyncHTTPTransport(verify=PLAIN_HTTP)
        self._headers = headers
        self._fresh_seed = fresh_seed
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for name, value in self._headers:  # the mode's own (Prefer), not the client's
            request.headers[name] = value
        if self._fresh_seed:
            request.headers["Prefer"] = f"seed=random-{uuid.uuid4().hex}"
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            # Buffer the (small, test-made) upload so its parts can be inspected: see Exchange.form_parts.
            await request.aread()
        response = await self._inner.handle_async_request(request)
        if request.url.path.endswith("/content"):
            self.exchanges.append(Exchange(request, response.status_code, response.headers, None))
            return response
        # The bytes as sent (Steady gzips when asked): the client gets them to decode itself, the
        # record keeps them decoded (a Response built from bytes decodes per Content-Encoding).
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        body = httpx.Response(response.status_code, headers=response.headers, content=raw).content
        self.exchanges.append(Exchange(request, response.status_code, response.headers, body))
        return httpx.Response(
            response.status_code, headers=response.headers, content=raw, extensions=response.extensions
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class Conformance:
    """One test's client, wired to one mock server, with both ways of hearing what it objected to."""

    server: MockServer
    client: BatchClient
    transport: RecordingTransport
    log_start: int

    @property
    def mode(self) -> Mode:
        return self.server.mode

    @property
    def tool(self) -> str:
        return self.server.tool

    @property
    def exchanges(self) -> list[Exchange]:
        return self.transport.exchanges

    def last(self, method: str, path_suffix: str = "") -> Exchange:
        for exchange in reversed(self.exchanges):
            if exchange.request.method == method and exchange.request.url.path.endswith(path_suffix):
                return exchange
        raise AssertionError(f"no {method} …{path_suffix} among {[e.describe() for e in self.exchanges]}")

    def heard_in_answers(self) -> list[str]:
        return [line for exchange in self.exchanges for line in self.server.exchange_objections(exchange)]

    def heard_in_log(self) -> list[str]:
        return self.server.log_objections(self.log_start, self.server.sync_log())

    def objections(self) -> list[str]:
        """Everything the server said against this test's traffic, in its answers and its log."""
        return self.heard_in_answers() + self.heard_in_log()

    def assert_conformant(self) -> None:
        assert self.exchanges, "the test made no request"
        objections = self.objections()
        assert not objections, (
            f"{self.server.describe()} objected:\n  " + "\n  ".join(objections) + f"\nlog: {self.server.log_path}"
        )


@asynccontextmanager
async def harness_for(server: MockServer, api_key: str | None = API_KEY) -> AsyncIterator[Conformance]:
    transport = RecordingTransport(server.mode.headers, fresh_seed=server.mode.fresh_seed)
    # No retries: a 4xx or 500 from the mock must surface, not be retried into something else.
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
