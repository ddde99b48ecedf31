"""`python -m batchtui.sim`: serve the simulator standalone until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from batchtui.sim.config import SimConfig
from batchtui.sim.simulator import Simulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m batchtui.sim", description="Serve a simulated OpenAI Batch + Files API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--seed", type=int, default=SimConfig.seed)
    parser.add_argument("--count", type=int, default=SimConfig.batch_count, help="seeded batches")
    parser.add_argument("--empty", action="store_true", help="an account with no batches")
    parser.add_argument("--api-key", help="require this key (Authorization: Bearer, or api-key)")
    parser.add_argument("--faults", action="store_true", help="inject 429s, 5xx, slow and broken answers")
    parser.add_argument("--hostile", action="store_true", help="add batches with hostile text and shapes")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=SimConfig.time_scale,
        help="multiply the live batches' durations (0.1: ten times faster)",
    )
    parser.add_argument("--arrival-seconds", type=float, default=None, help="a new batch shows up about this often")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = SimConfig(
        seed=args.seed,
        batch_count=0 if args.empty else args.count,
        api_key=args.api_key,
        faults=args.faults,
        hostile=args.hostile,
        time_scale=args.time_scale,
        arrival_seconds=args.arrival_seconds,
    )
    simulator = Simulator(config)
    stopped = threading.Event()
    # Ctrl-C and SIGTERM (a supervisor, a test's terminate()) only set a flag: a KeyboardInterrupt
    # raised at a random point could land inside a lock the shutdown then waits on.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    url = simulator.start(host=args.host, port=args.port)
    print(f"batchtui simulator serving {url}", flush=True)
    try:
        while not stopped.wait(timeout=0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
