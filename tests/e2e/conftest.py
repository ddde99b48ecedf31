"""The simulator on a real loopback socket, on a clock the test moves."""

from __future__ import annotations

import pytest

from batchtui.sim import ManualClock, SimConfig, Simulator
from tests.e2e.support import KEY, START


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=START)


@pytest.fixture
def simulator(clock):
    with Simulator(SimConfig(seed=11, api_key=KEY), clock=clock) as sim:
        yield sim
