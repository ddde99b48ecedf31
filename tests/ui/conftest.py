from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.app import App
from textual.pilot import Pilot

from batchtui.ui.app import BatchApp
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.ui.fake_api import FakeAPI


@pytest.fixture
def fake_api() -> FakeAPI:
    statuses = ["in_progress", "completed", "validating", "failed", "finalizing", "expired", "cancelled"]
    return FakeAPI(batches=[numbered_batch(i, statuses[i % len(statuses)]) for i in range(45)])


@pytest.fixture
def make_app(fake_api: FakeAPI) -> Callable[..., BatchApp]:
    """build_app over the fake_api fixture; options as build_app takes them (page_size, refresh, ...)."""

    def make(**options: Any) -> BatchApp:
        return build_app(transport=fake_api.transport(), **options)

    return make


@pytest.fixture(autouse=True)
def frames_composed_only_when_looked_at(monkeypatch: pytest.MonkeyPatch) -> None:
    """The headless apps here skip the frames a terminal would be sent, and compose the last screen once.

    Composing a frame (every changed line of every widget, as strips) was a third of this folder's CPU, and a
    headless driver throws the frame away. What a test reads of the screen is composed when it asks
    (`export_screenshot`, `render_strips`, `render_lines`: the full renders), and the screen a test ends on is
    composed once, so a widget whose drawing raises still fails the test. tests/e2e and tests/snapshots draw
    every frame, as a terminal would get it.
    """
    render_update = Compositor.render_update

    def full_renders_only(self: Compositor, full: bool = False, *args: Any, **kwargs: Any) -> Any:
        if not full:  # the screen's own refresh: a frame for the (headless) terminal
            self._dirty_regions.clear()
            return None
        return render_update(self, full, *args, **kwargs)

    run_test = App.run_test

    @contextlib.asynccontextmanager
    async def run_test_then_compose(self: App, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot]:
        async with run_test(self, *args, **kwargs) as pilot:
            yield pilot
            if self.is_running and self.screen_stack:
                self.screen._compositor.render_update(full=True, screen_stack=self._background_screens)

    monkeypatch.setattr(Compositor, "render_update", full_renders_only)
    monkeypatch.setattr(App, "run_test", run_test_then_compose)
