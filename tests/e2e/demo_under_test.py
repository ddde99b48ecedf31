"""`batchtui --demo` with one thing made to go wrong, for the tests that run it on a pseudo-terminal.

    python -m tests.e2e.demo_under_test stalled-downloads  # every file's content stops after its first chunk
    python -m tests.e2e.demo_under_test crash-on-copy      # `y` raises an error that quotes the demo key

The patches are made here, in the child, before main() runs: batchtui itself has no switch for them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

from batchtui.cli import main
from batchtui.demo import DEMO_KEY
from batchtui.sim.store import Store
from batchtui.ui.screens.batches import BatchesScreen

STALL_SECONDS = 120  # longer than any test waits; the thread serving it is a daemon


def stall_downloads() -> None:
    file_content = Store.file_content

    def stalled(self: Store, file_id: str) -> tuple[int, Iterator[bytes]]:
        size, chunks = file_content(self, file_id)

        def first_chunk_only() -> Iterator[bytes]:
            yield next(iter(chunks))
            threading.Event().wait(STALL_SECONDS)

        return size, first_chunk_only()

    Store.file_content = stalled  # type: ignore[method-assign]


def crash_on_copy() -> None:
    def copy_id(self: BatchesScreen) -> None:
        raise RuntimeError(f"boom while copying with {DEMO_KEY}")

    BatchesScreen.action_copy_id = copy_id  # type: ignore[method-assign]


if __name__ == "__main__":
    {"stalled-downloads": stall_downloads, "crash-on-copy": crash_on_copy}[sys.argv[1]]()
    raise SystemExit(main(["--demo"]))
