"""`python -m batchtui.sim`: serve the simulator standalone until Ctrl-C."""

from __future__ import annotations

import argparse
import sys

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
    simulator.serve_until_signalled("batchtui simulator serving", host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
