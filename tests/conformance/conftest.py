"""Fixtures for the conformance tests: the real client against Prism mocking the official spec.

The Prism binary comes from `npm ci` at the repository root; when it is missing these tests
fail with that instruction, never skip. All modes start together once per session.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from .harness import (
    HERE,
    MODES,
    PRISM,
    REPO_ROOT,
    START_ATTEMPTS,
    STARTUP_SECONDS,
    Conformance,
    PrismDidNotStart,
    PrismServer,
    harness_for,
    launch,
    wait_until_answering,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "conformance: the client against Prism mocking the official spec (needs `npm ci`)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.conformance)


def _require_prism() -> None:
    if not (PRISM.is_file() and os.access(PRISM, os.X_OK)):
        pytest.fail(
            f"Prism is not installed ({PRISM} is missing). Run `npm ci` in {REPO_ROOT} "
            "(needs Node.js and npm); the conformance tests need it and are never skipped.",
            pytrace=False,
        )
    if shutil.which("node") is None:
        pytest.fail("`node` is not on PATH: Prism needs Node.js. Install Node 20+ and run `npm ci`.", pytrace=False)


@pytest.fixture(scope="session")
def prism_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PrismServer]]:
    """Every mode's Prism, started together (start-up is mostly Node loading), stopped at the end."""
    _require_prism()
    log_dir = tmp_path_factory.mktemp("prism-logs")
    servers = {mode.name: launch(mode, log_dir, 1) for mode in MODES}
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for mode in MODES:
            for attempt in range(1, START_ATTEMPTS + 1):
                server = servers[mode.name]
                try:
                    wait_until_answering(server, deadline)
                    break
                except PrismDidNotStart as problem:
                    server.stop()
                    port_taken = b"EADDRINUSE" in server.log_bytes()
                    if not port_taken or attempt == START_ATTEMPTS:
                        pytest.fail(
                            f"Prism ({mode.name}) did not start: {problem}.\n"
                            f"Log {server.log_path}:\n{server.log_tail()}",
                            pytrace=False,
                        )
                    # Another process took the free port between our probe and Prism's bind.
                    servers[mode.name] = launch(mode, log_dir, attempt + 1)
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(params=[mode.name for mode in MODES])
def prism(request: pytest.FixtureRequest, prism_servers: dict[str, PrismServer]) -> PrismServer:
    return prism_servers[request.param]


@pytest.fixture
def static_prism(prism_servers: dict[str, PrismServer]) -> PrismServer:
    return prism_servers["static"]


@pytest.fixture
async def api(prism: PrismServer) -> AsyncIterator[Conformance]:
    async with harness_for(prism) as harness:
        yield harness


@pytest.fixture
async def static_api(static_prism: PrismServer) -> AsyncIterator[Conformance]:
    async with harness_for(static_prism) as harness:
        yield harness
