"""Everything that shapes a simulated account: its size, its pace, its misbehaviour."""

from __future__ import annotations

from dataclasses import dataclass

from batchtui.sim.faults import FaultConfig


@dataclass(frozen=True)
class SimConfig:
    seed: int = 7
    batch_count: int = 64  # seeded batches at start; 0 is an empty account
    history_days: float = 30.0  # the finished seeded batches were created over this many days before the start
    showcase: bool = False  # run demo_data.SHOWPIECES (minutes to hours, one stuck) instead of quick batches
    api_key: str | None = None  # when set, every request must carry it
    faults: bool | FaultConfig = False  # True: FaultConfig() defaults
    hostile: bool = False  # add batches whose server text tries to break a terminal UI
    # Pace of the batches that run live (the active seeded ones, arrivals, and created ones).
    # Real seconds: the client ages timestamps against its own wall clock, so the clock never runs fast.
    validating_seconds: float = 10.0
    in_progress_seconds: tuple[float, float] = (60.0, 240.0)
    finalizing_seconds: float = 10.0
    time_scale: float = 1.0  # multiplies the three durations above; 0.1 runs ten times faster
    cancel_seconds: float = 4.0  # from a client's cancel to `cancelled`
    page_limit_max: int = 100
    page_limit_default: int = 20
    # When set, a new batch shows up roughly this often, so a long-running demo never goes still.
    arrival_seconds: float | None = None

    @classmethod
    def long_history(cls) -> SimConfig:
        """The account `make demo` serves: a busy quarter of history, and the showcase running now."""
        return cls(batch_count=4_000, history_days=90.0, showcase=True)

    def fault_config(self) -> FaultConfig | None:
        if isinstance(self.faults, FaultConfig):
            return self.faults
        return FaultConfig() if self.faults else None
