"""Work a screen runs (downloads, scans in threads, dialogs) that the user may walk away from at any moment.

Textual cancels a screen's workers only once it has removed the screen's widgets, and `Worker.wait()`
turns the waiting worker's own cancellation into WorkerCancelled, an error that ends the app. So:

- `stop_work_on_leave(screen)` cancels a screen's workers the moment it leaves the stack, before any
  of its widgets goes;
- `in_thread(node, work)` awaits a function run in a thread worker: its result, or CancelledError
  (the awaiting worker ends quietly) when either side is cancelled;
- `ThreadProgress` is the one way work in a thread reports progress: it stops the thread once nobody
  waits for it and never touches a widget whose screen is closed;
- `while_open` marks the screen methods that update widgets, skipped once the screen is closed.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from textual.dom import DOMNode, NoScreen
from textual.screen import Screen
from textual.worker import WorkerCancelled, WorkerFailed, get_current_worker

if TYPE_CHECKING:
    from batchtui.ui.widgets.step_progress import StepProgress

T = TypeVar("T")
P = ParamSpec("P")
NodeT = TypeVar("NodeT", bound=DOMNode)


class WorkStopped(Exception):
    """Raised in a thread, from its progress callback, when nobody waits for the work any more."""


def is_open(node: DOMNode) -> bool:
    """Whether the node is on a screen still in the app's stack (covered by a dialog counts): only then may it change."""
    if not node.is_attached:
        return False
    try:
        screen = node.screen
    except NoScreen:
        return False
    return screen in node.app.screen_stack


def stop_work_on_leave(screen: Screen) -> None:
    """Cancel the screen's workers as soon as it is popped; call from `on_mount`, before starting work."""

    def check(_current: Screen) -> None:
        if not is_open(screen):
            screen.workers.cancel_node(screen)

    # Immediate: a callback posted to the screen would run after Textual has begun removing its widgets.
    screen.app.screen_change_signal.subscribe(screen, check, immediate=True)


def while_open(method: Callable[Concatenate[NodeT, P], None]) -> Callable[Concatenate[NodeT, P], None]:
    """For a method that updates the node's widgets: does nothing once its screen is closed."""

    @functools.wraps(method)
    def guarded(node: NodeT, *args: P.args, **kwargs: P.kwargs) -> None:
        if is_open(node):
            method(node, *args, **kwargs)

    return guarded


async def in_thread(node: DOMNode, work: Callable[[], T]) -> T:
    """`work()` run in a thread worker of `node`, awaited from an async worker.

    Returns what it returns, or raises WorkerFailed with what it raised. When the awaiting
    worker is cancelled, the thread worker is cancelled too (a ThreadProgress in it stops it
    at its next report) and CancelledError ends the awaiting worker quietly.
    """
    worker = node.run_worker(work, name=getattr(work, "__name__", "in_thread"), thread=True, exit_on_error=False)
    try:
        return await worker.wait()
    except WorkerCancelled:
        worker.cancel()
        raise asyncio.CancelledError from None
    except WorkerFailed as failure:
        if isinstance(failure.error, WorkStopped):
            raise asyncio.CancelledError from None
        raise


class ThreadProgress:
    """A progress callback for work that `in_thread` runs, shown on a StepProgress.

    Create it in the async worker, call it from the thread. It raises WorkStopped once the
    thread's worker is cancelled or the widget's screen is closed; it hands each report to
    the event loop without waiting for it, and the loop skips reports for a closed screen.
    """

    def __init__(self, progress: StepProgress) -> None:
        self.progress = progress
        self._loop = asyncio.get_running_loop()
        # The app's context (active app, message pump) for the updates the thread hands over.
        self._context = contextvars.copy_context()
        self._closed = threading.Event()

    def __call__(self, done: int, total: int | None) -> None:
        if self._closed.is_set() or get_current_worker().is_cancelled:
            raise WorkStopped
        try:
            self._loop.call_soon_threadsafe(self._show, done, total, context=self._context)
        except RuntimeError:  # the loop is closed: the app has ended
            raise WorkStopped from None

    def _show(self, done: int, total: int | None) -> None:
        if is_open(self.progress):
            self.progress.show(done, total)
        else:
            self._closed.set()
