"""`python -m bench [--quick] [--only NAME,...]`: run the benchmarks, print the table, write the figures.

Writes bench/results/latest.json on every run, and bench/RESULTS.md (the committed copy) after a
full run of everything.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

from bench import (
    backfill,
    big_files,
    filter_latency,
    history,
    idle,
    index_startup,
    key_latency,
    request_economy,
    startup,
    warm_start,
)
from bench.environment import BENCH, RESULTS, machine, make_context
from bench.report import Section, markdown, table, write_json

BENCHMARKS = {
    "startup": startup,
    "requests": request_economy,
    "idle": idle,
    "keys": key_latency,
    "history": history,
    "files": big_files,
    "warm": warm_start,
    "filter": filter_latency,
    "backfill": backfill,
    "index": index_startup,
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer rounds, smaller indexes and shorter watches: a smoke run of about 3 minutes",
    )
    parser.add_argument("--only", metavar="NAMES", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument(
        "--idle-seconds",
        type=int,
        metavar="N",
        help="watch each idle account for N seconds instead of 60 (15 quick); 600 or more also reports "
        "the memory slope once the first 5 minutes are over",
    )
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    args.names = names
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    context = make_context(quick=args.quick, idle_seconds=args.idle_seconds)
    about = machine(context)
    about["load_before"] = _load_average()
    mode = "quick" if args.quick else "full"
    print(f"batchtui benchmarks, {mode} run: {about['nproc']} cores, {about['cpu']}, Python {about['python']}")
    sections: list[Section] = []
    for name in args.names:
        module = BENCHMARKS[name]
        print(f"\n{module.TITLE}", flush=True)
        began = time.perf_counter()
        try:
            section = module.run(context)
        except Exception as error:  # noqa: BLE001 - one failed benchmark must not lose the others' figures
            traceback.print_exc()
            section = Section(name, module.TITLE, error=f"{type(error).__name__}: {error}")
        section.seconds = time.perf_counter() - began
        print(f"  · {section.seconds:.0f} s", flush=True)
        sections.append(section)
    seconds = time.perf_counter() - started
    about["load_after"] = _load_average()

    print("\n" + table(sections))
    for section in sections:
        number = section.title.split(".", 1)[0]
        for note in section.notes:
            print(f"  {number}: {note}")
        for figure in section.figures:
            if figure.note:
                print(f"     {figure.label}: {figure.note}")
    latest = RESULTS / "latest.json"
    write_json(latest, sections, about, mode, seconds)
    print(f"\n{mode} run took {seconds / 60:.1f} min; figures in {latest.relative_to(BENCH.parent)}")
    if not args.quick and not args.no_record and args.names == list(BENCHMARKS) and args.idle_seconds is None:
        record = BENCH / "RESULTS.md"
        header = "# Latest benchmark run\n\nWritten by `make bench` (`python -m bench`); see bench/README.md.\n\n"
        record.write_text(header + markdown(sections, about, mode, seconds), encoding="utf-8")
        print(f"and in {record.relative_to(BENCH.parent)}")
    failed = [section.key for section in sections if section.error]
    return 1 if failed else 0


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
