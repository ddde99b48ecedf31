"""The pieces every working screen shares: work stops the moment its screen is left, and never crashes the app."""

from __future__ import annotations

import asyncio
import threading

from textual import work
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerFailed, WorkerState

from batchtui.ui.screen_work import ThreadProgress, WorkStopped, in_thread, is_open, stop_work_on_leave, while_open
from batchtui.ui.widgets.step_progress import StepProgress
from tests.support.waiting import wait_until
from tests.ui.work_gates import work_finished


class Working(Screen[None]):
    """Runs `job` in an async worker; `shown` counts the updates that reached its widget."""

    def __init__(self, job) -> None:
        super().__init__()
        self.job = job
        self.worker: Worker | None = None
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield StepProgress()
        yield Static(id="note")

    def on_mount(self) -> None:
        stop_work_on_leave(self)
        self.worker = self.run()

    @work
    async def run(self) -> None:
        await self.job(self)

    @while_open
    def note(self, text: str) -> None:
        self.query_one("#note", Static).update(text)
        self.shown += 1


class Host(App):
    pass


async def test_work_is_cancelled_the_moment_its_screen_is_popped():
    release = asyncio.Event()

    async def job(screen: Working) -> None:
        await release.wait()
        screen.note("after the wait")

    app = Host()
    async with app.run_test() as pilot:
        screen = Working(job)
        await app.push_screen(screen)
        await pilot.pause()
        app.pop_screen()
        # Before Textual removes a single widget (it cancels workers only after that), the work is told to stop.
        assert screen.worker is not None and screen.worker.is_cancelled
        release.set()
        await work_finished(app, pilot)
        assert screen.worker.state == WorkerState.CANCELLED and screen.shown == 0
        assert app.return_code is None


async def test_a_screen_covered_by_a_dialog_is_still_open():
    app = Host()
    async with app.run_test() as pilot:
        screen = Working(lambda screen: asyncio.Event().wait())
        await app.push_screen(screen)
        await app.push_screen(ModalScreen())
        await pilot.pause()
        assert is_open(screen) and is_open(screen.query_one(StepProgress))
        assert screen.worker is not None and not screen.worker.is_cancelled
        app.pop_screen()
        app.pop_screen()
        assert not is_open(screen)


async def test_in_thread_gives_the_result_or_the_error():
    outcomes: list[object] = []

    async def job(screen: Working) -> None:
        outcomes.append(await in_thread(screen, lambda: threading.current_thread() is not threading.main_thread()))
        try:
            await in_thread(screen, lambda: 1 / 0)
        except WorkerFailed as failure:
            outcomes.append(type(failure.error))

    app = Host()
    async with app.run_test() as pilot:
        await app.push_screen(Working(job))
        await work_finished(app, pilot)
        assert outcomes == [True, ZeroDivisionError]


async def test_cancelling_the_waiter_ends_it_quietly_and_stops_the_thread_at_its_next_report():
    reports = 0
    stopped = threading.Event()

    def scan(progress: ThreadProgress) -> None:
        nonlocal reports
        try:
            while True:
                progress(reports, None)
                reports += 1
                threading.Event().wait(0.001)
        except WorkStopped:
            stopped.set()
            raise

    async def job(screen: Working) -> None:
        progress = ThreadProgress(screen.query_one(StepProgress))
        await in_thread(screen, lambda: scan(progress))

    app = Host()
    async with app.run_test() as pilot:
        screen = Working(job)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: reports > 3)
        assert screen.worker is not None
        screen.worker.cancel()
        await wait_until(pilot, stopped.is_set)
        await work_finished(app, pilot)
        # Worker.wait() alone turns this into WorkerCancelled, an error that ends the app.
        assert screen.worker.state == WorkerState.CANCELLED
        assert app.is_running and app.return_code is None


async def test_progress_from_a_thread_stops_once_its_screen_is_closed():
    closed = threading.Event()
    after_close: list[int] = []

    def scan(progress: ThreadProgress) -> None:
        progress(1, 10)
        assert closed.wait(10)
        for done in range(2, 10):
            progress(done, 10)
            after_close.append(done)
            threading.Event().wait(0.05)

    app = Host()
    async with app.run_test() as pilot:
        screen = Working(lambda screen: asyncio.Event().wait())
        await app.push_screen(screen)
        bar = screen.query_one(StepProgress).query_one("ProgressBar")

        async def job() -> None:
            progress = ThreadProgress(screen.query_one(StepProgress))
            await in_thread(app, lambda: scan(progress))

        # Waited for by the app, not the screen: nothing cancels it, the bridge must notice the screen is gone.
        waiter = app.run_worker(job())
        await wait_until(pilot, lambda: bar.progress == 1)
        app.pop_screen()
        closed.set()
        await work_finished(app, pilot)
        assert waiter.state == WorkerState.CANCELLED
        assert after_close and len(after_close) < 8 and bar.progress == 1
        assert app.return_code is None
