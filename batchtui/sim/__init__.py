"""A simulated OpenAI Batch + Files API, served over real HTTP, for --demo, tests and benchmarks.

Server side only: it imports neither textual nor batchtui.ui nor batchtui.api.
"""

from batchtui.clock import Clock, ManualClock, SystemClock
from batchtui.sim.config import SimConfig
from batchtui.sim.faults import FaultConfig, FaultKind
from batchtui.sim.request_log import RecordedRequest
from batchtui.sim.simulator import Simulator

__all__ = [
    "Clock",
    "FaultConfig",
    "FaultKind",
    "ManualClock",
    "RecordedRequest",
    "SimConfig",
    "Simulator",
    "SystemClock",
]
