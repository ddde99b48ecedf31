"""What the config file sets reaches the main screen: the stuck thresholds, read-only, notifications."""

from __future__ import annotations

from batchtui.config import Settings
from batchtui.glance.thresholds import StuckThresholds
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.apps import FAKE_URL, build_app
from tests.support.batches import NOW, numbered_batch
from tests.support.keys import FAKE_KEY
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI

VALIDATING_FOR_AN_HOUR = numbered_batch(0, status="validating", created_at=int(NOW) - 3600)


def settings(**overrides) -> Settings:
    return Settings(api_key=FAKE_KEY, base_url=FAKE_URL, refresh_seconds=3600.0, **overrides)


async def main_screen(app, pilot) -> BatchesScreen:
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, BatchesScreen)
    return screen


async def test_the_stuck_thresholds_of_the_settings_decide_what_is_stuck():
    for thresholds, stuck in ((StuckThresholds(), True), (StuckThresholds(validating_minutes=120), False)):
        api = FakeAPI([VALIDATING_FOR_AN_HOUR])
        app = build_app(transport=api.transport(), settings=settings(stuck=thresholds))
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await main_screen(app, pilot)
            insight = screen.insights[VALIDATING_FOR_AN_HOUR["id"]]
            assert (insight.stuck is not None) is stuck, thresholds


async def test_read_only_and_notify_of_the_settings_reach_the_screen():
    api = FakeAPI([VALIDATING_FOR_AN_HOUR])
    app = build_app(transport=api.transport(), settings=settings(read_only=True, notify=False))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await main_screen(app, pilot)
        assert screen.read_only and not screen.notify_finished
        assert screen.check_action("cancel_batch", ()) is None
