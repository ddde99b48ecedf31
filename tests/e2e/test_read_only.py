"""Read-only against the simulator: cancel, create and retry are dimmed, say "read-only", and no POST is ever sent."""

from __future__ import annotations

from batchtui.config import Settings
from batchtui.ui.screens.batches import BatchesScreen
from tests.e2e.support import KEY, select
from tests.support.apps import build_app
from tests.support.notifications import heard_notifications, toasts
from tests.support.waiting import settle


def read_only_app(simulator, clock):
    """Read-only as the user sets it (--read-only, or read_only = true in a profile): through the settings."""
    settings = Settings(api_key=KEY, base_url=simulator.base_url, page_size=100, refresh_seconds=3600.0, read_only=True)
    return build_app(settings=settings, clock=clock)


def posts(simulator) -> list[str]:
    return [r.path for r in simulator.requests if r.method != "GET"]


async def test_no_key_sends_a_post_and_each_refused_one_says_read_only(simulator, clock, tmp_path):
    app = read_only_app(simulator, clock)
    said = heard_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        data = screen.page.data
        cancellable = next(b for b in data if b.is_cancellable)
        retryable = next(b for b in data if b.status in ("expired", "cancelled"))
        for action in ("cancel_batch", "create_batch", "retry_batch"):
            await select(app, pilot, retryable.id if action == "retry_batch" else cancellable.id)
            assert screen.check_action(action, ()) is None, action
        await select(app, pilot, cancellable.id)
        await pilot.press("c", "y", "N", "enter", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchesScreen)
        await select(app, pilot, retryable.id)
        await pilot.press("R", "enter", "y")
        await settle(app, pilot)
        # Bulk: marks, then c and y.
        await pilot.press("m")
        await select(app, pilot, cancellable.id)
        await pilot.press("m", "c", "y", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchesScreen)
        assert screen.marks.ids == {cancellable.id, retryable.id}
        # Everything else a user might press on the list.
        for key in ("r", "space", "space", "a", "a", "s", "E", "w", "u", "n", "p", "question_mark", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
            if not isinstance(app.screen, BatchesScreen):
                await pilot.press("escape")
                await settle(app, pilot)
        assert posts(simulator) == []
        assert (
            said.count("Read-only: this session sends nothing that changes the account (no cancel, create or retry).")
            >= 4
        )


async def test_the_read_only_reason_follows_a_remapped_key(simulator, clock):
    app = read_only_app(simulator, clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap({"cancel_batch": "x", "create_batch": "ctrl+n"})
        await pilot.pause()
        await select(app, pilot, next(b.id for b in app.screen.page.data if b.is_cancellable))
        await pilot.press("x", "y", "ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchesScreen)
        assert len([n for n in toasts(app) if n.startswith("Read-only")]) == 2
        assert posts(simulator) == []
