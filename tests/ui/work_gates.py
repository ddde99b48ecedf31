"""Gates that hold a screen's work at a known point, so a test can leave the screen exactly there."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.waiting import wait_until
from tests.ui.lifecycle_fakes import LifecycleAPI

GATE_TIMEOUT = 30.0
PIECE = 64


async def work_finished(app, pilot) -> None:
    """Every worker has ended, cancelled ones included (`wait_for_complete` raises for those)."""
    await wait_until(pilot, lambda: all(worker.is_finished for worker in app.workers))
    await pilot.pause()


class Gate:
    """Work in a thread stops at `pass_through()` until the test calls `open()`."""

    def __init__(self) -> None:
        self._reached = threading.Event()
        self._opened = threading.Event()

    @property
    def reached(self) -> bool:
        return self._reached.is_set()

    def pass_through(self) -> None:
        self._reached.set()
        if not self._opened.wait(GATE_TIMEOUT):
            raise TimeoutError("the test never opened the gate")

    def open(self) -> None:
        self._opened.set()


@dataclass
class HeldWork:
    """Wraps a thread's work function: reports progress once, waits at the gate, then goes on.

    `stopped` tells whether the work was stopped at its next progress report after the gate,
    `finished` whether it ran to the end anyway.
    """

    real: Callable[..., Any]
    report_first: bool = True
    gate: Gate = field(default_factory=Gate)
    stopped: bool = False
    finished: bool = False

    def with_progress(self, *args: Any, **kwargs: Any) -> Any:
        progress = kwargs["progress"] if "progress" in kwargs else args[-1]
        if self.report_first:
            progress(1, 2)
        self.gate.pass_through()
        try:
            progress(1, 2)
        except Exception:
            self.stopped = True
            raise
        result = self.real(*args, **kwargs)
        self.finished = True
        return result

    def without_progress(self, *args: Any, **kwargs: Any) -> Any:
        self.gate.pass_through()
        result = self.real(*args, **kwargs)
        self.finished = True
        return result


@dataclass
class HeldTransfersAPI(LifecycleAPI):
    """LifecycleAPI whose downloads trickle in small pieces, each a turn of the event loop.

    The download of `held_download` stops after half its bytes until `release` is set; an upload
    waits for `release` before it is answered when `hold_upload` is set.
    """

    held_download: str | None = None
    hold_upload: bool = False
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.hold_upload and request.method == "POST" and path.endswith("/files"):
            self.holding.set()
            await self.release.wait()
        if request.method == "GET" and path.endswith("/content"):
            file_id = path.split("/files/", 1)[1].split("/", 1)[0]
            if file_id in self.files:
                self.requests.append(request)
                return httpx.Response(
                    200, content=self._trickle(self.files[file_id], hold=file_id == self.held_download)
                )
        return await super().handle_async(request)

    async def _trickle(self, content: bytes, *, hold: bool) -> AsyncIterator[bytes]:
        middle = len(content) // 2
        for start in range(0, len(content), PIECE):
            if hold and start >= middle and not self.release.is_set():
                self.holding.set()
                await self.release.wait()
            await asyncio.sleep(0)
            yield content[start : start + PIECE]
