"""`batchtui --demo`: the simulator on a loopback port, and the same client and app pointed at it."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from batchtui.config import Settings
from batchtui.sim import FaultConfig, SimConfig, Simulator

# The whole 4,000-batch history indexed in about four seconds, so search finds old batches at once.
DEMO_HISTORY_INTERVAL = 0.1

# The simulator checks this key like a real server would; it is not a secret.
DEMO_KEY = "sk-demo-not-a-real-key"

# Rough enough that the retries, stale marks and rate-limit waits show within a minute of watching.
DEMO_FAULTS = FaultConfig(
    rate_limit=0.15,
    server_error=0.08,
    bad_gateway=0.06,
    unavailable=0.05,
    slow=0.10,
    garbage=0.04,
    wrong_shape=0.04,
    dropped=0.04,
)


def demo_config(*, faults: bool = False, hostile: bool = False) -> SimConfig:
    """The simulated account the demo serves; tests that drive the demo look its batches up here."""
    return replace(SimConfig.long_history(), api_key=DEMO_KEY, faults=DEMO_FAULTS if faults else False, hostile=hostile)


def run_demo(settings: Settings, *, faults: bool = False, hostile: bool = False) -> int:
    from batchtui.ui.app import BatchApp
    from batchtui.ui.history import History

    simulator = Simulator(demo_config(faults=faults, hostile=hostile))
    base_url = simulator.start(host="127.0.0.1", port=0)
    # The demo's index is thrown away with it: each run has a new port, and so would be a new account.
    with tempfile.TemporaryDirectory(prefix="batchtui-demo-") as scratch:
        try:
            demo_settings = replace(settings, api_key=DEMO_KEY, base_url=base_url, azure=False, api_version=None)
            label = "demo · simulated Batch API on this machine" + (" · faults on" if faults else "")
            # The simulator is on this machine, not a shared rate limit: the walk may go ten times faster.
            history = (
                History(Path(scratch) / "demo-index.sqlite3", interval=DEMO_HISTORY_INTERVAL)
                if settings.index
                else None
            )
            return BatchApp(demo_settings, server_label=label, history=history).run_in_terminal()
        finally:
            simulator.stop()
