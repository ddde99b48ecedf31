"""Fixtures for the conformance tests: the real client against Prism and Steady mocking the official spec.

Both come from `npm ci` at the repository root; when one is missing these tests fail with that
instruction, never skip. Each tool's modes start together, once per session, the first time a test
needs that tool, each on its own free ports; with `--dist loadgroup` every test here runs on one xdist worker.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from .harness import (
    HERE,
    MODES,
    REPO_ROOT,
    SERVER_CLASSES,
    START_ATTEMPTS,
    STARTUP_SECONDS,
    TOOLS,
    Conformance,
    MockServer,
    Mode,
    ServerDidNotStart,
    harness_for,
)

MODE_BY_ID = {mode.id: mode for mode in MODES}
# Where a missing Steady binary leaves its wrapper: the optional @stdy/cli-<platform> package was not installed.
STEADY_NO_BINARY = b"Failed to find binary"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "conformance: the client against Prism and Steady mocking the official spec (needs `npm ci`)"
    )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.conformance)
            # One xdist worker runs them all (`--dist loadgroup`), so Prism and Steady start once, not once per worker.
            item.add_marker(pytest.mark.xdist_group("conformance"))


def _require(tool: str) -> None:
    binary = SERVER_CLASSES[tool].binary
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"{SERVER_CLASSES[tool].label} is not installed ({binary} is missing). Run `npm ci` in {REPO_ROOT} "
            "(needs Node.js and npm); the conformance tests need it and are never skipped.",
            pytrace=False,
        )
    if shutil.which("node") is None:
        pytest.fail(
            f"`node` is not on PATH: {binary.name} needs Node.js. Install Node 20+ and run `npm ci`.", pytrace=False
        )


def _start_all(tool: str, log_dir: os.PathLike[str]) -> dict[str, MockServer]:
    """Start every process one tool's modes need together (start-up is mostly process loading), then wait for each.

    Modes with the same flags differ only in the headers their requests carry: they share a process.
    """
    server_class = SERVER_CLASSES[tool]
    modes = [mode for mode in MODES if mode.tool == tool]
    first_with_flags: dict[tuple[str, ...], Mode] = {}
    for mode in modes:
        first_with_flags.setdefault(mode.flags, mode)
    launched = {flags: server_class.launch(mode, log_dir, 1) for flags, mode in first_with_flags.items()}
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for flags, mode in first_with_flags.items():
            for attempt in range(1, START_ATTEMPTS + 1):
                server = launched[flags]
                try:
                    server.wait_until_answering(deadline)
                    break
                except ServerDidNotStart as problem:
                    server.stop()
                    if not server.port_taken() or attempt == START_ATTEMPTS:
                        hint = ""
                        if STEADY_NO_BINARY in server.log_bytes():
                            hint = (
                                "\nnpm did not install Steady's native binary (the optional @stdy/cli-<platform> "
                                "package): run `npm ci` without --omit=optional, on linux/darwin x64/arm64 or win32 x64."
                            )
                        pytest.fail(
                            f"{server.describe()} did not start: {problem}.{hint}\n"
                            f"Log {server.log_path}:\n{server.log_tail()}",
                            pytrace=False,
                        )
                    # Another process took the free port between our probe and the server's bind.
                    launched[flags] = server_class.launch(mode, log_dir, attempt + 1)
    except BaseException:
        for server in launched.values():
            server.stop()
        raise
    return {mode.name: dataclasses.replace(launched[mode.flags], mode=mode) for mode in modes}


@pytest.fixture(scope="session")
def prism_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MockServer]]:
    _require("prism")
    servers = _start_all("prism", tmp_path_factory.mktemp("prism-logs"))
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def steady_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MockServer]]:
    _require("steady")
    servers = _start_all("steady", tmp_path_factory.mktemp("steady-logs"))
    yield servers
    for server in servers.values():
        server.stop()


def _servers_of(request: pytest.FixtureRequest, tool: str) -> dict[str, MockServer]:
    # Looked up by name so a run that selects only one tool (`-k steady`) starts only that one.
    servers: dict[str, MockServer] = request.getfixturevalue(f"{tool}_servers")
    return servers


@pytest.fixture(params=[mode.id for mode in MODES])
def server(request: pytest.FixtureRequest) -> MockServer:
    """Every mode of every tool: `prism-static`, …, `steady-seeded`, `steady-random`."""
    mode = MODE_BY_ID[request.param]
    return _servers_of(request, mode.tool)[mode.name]


@pytest.fixture(params=TOOLS)
def tool_server(request: pytest.FixtureRequest) -> MockServer:
    """Each tool's first, deterministic mode: Prism static, Steady seeded."""
    return next(iter(_servers_of(request, request.param).values()))


@pytest.fixture
def static_prism(prism_servers: dict[str, MockServer]) -> MockServer:
    return prism_servers["static"]


@pytest.fixture
def seeded_steady(steady_servers: dict[str, MockServer]) -> MockServer:
    return steady_servers["seeded"]


@pytest.fixture
async def api(server: MockServer) -> AsyncIterator[Conformance]:
    async with harness_for(server) as harness:
        yield harness


@pytest.fixture
async def tool_api(tool_server: MockServer) -> AsyncIterator[Conformance]:
    async with harness_for(tool_server) as harness:
        yield harness
