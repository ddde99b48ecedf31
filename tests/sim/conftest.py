from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from batchtui.sim import ManualClock, SimConfig, Simulator
from tests.support.loopback import PLAIN_HTTP


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def start_sim(clock: ManualClock) -> Iterator[Callable[..., Simulator]]:
    """Start a simulator with the given SimConfig fields on the test's manual clock."""
    running: list[Simulator] = []

    def start(**config: object) -> Simulator:
        simulator = Simulator(SimConfig(**config), clock=clock)  # type: ignore[arg-type]
        simulator.start()
        running.append(simulator)
        return simulator

    yield start
    for simulator in running:
        simulator.stop()


@pytest.fixture
def sim(start_sim: Callable[..., Simulator]) -> Simulator:
    return start_sim()


@pytest.fixture
def client(sim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=10, verify=PLAIN_HTTP) as http:
        yield http
