from __future__ import annotations

import pytest

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.retry import RetryPolicy
from batchtui.clock import ManualClock
from batchtui.config import Settings
from batchtui.ui.app import BatchApp
from tests.ui.fake_api import NOW, FakeAPI, make_batch

FAKE_KEY = "sk-test-SECRET-4f9a1c"


@pytest.fixture
def fake_api() -> FakeAPI:
    statuses = ["in_progress", "completed", "validating", "failed", "finalizing", "expired", "cancelled"]
    return FakeAPI(batches=[make_batch(i, statuses[i % len(statuses)]) for i in range(45)])


@pytest.fixture
def make_app(fake_api: FakeAPI):
    def build(*, page_size: int = 20, refresh: float = 3600.0) -> BatchApp:
        client = BatchClient(
            ClientConfig(api_key=FAKE_KEY, base_url="http://fake.test/v1", retry=RetryPolicy(max_retries=0)),
            transport=fake_api.transport(),
        )
        settings = Settings(
            api_key=FAKE_KEY, base_url="http://fake.test/v1", page_size=page_size, refresh_seconds=refresh
        )
        return BatchApp(settings, client=client, clock=ManualClock(NOW))

    return build


async def settle(app: BatchApp, pilot) -> None:
    """Wait until every worker is done and the screen has caught up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


def plain_text(renderable, width: int = 120) -> str:
    """What a renderable says, as plain text, the way a terminal of `width` would show it."""
    import io

    from rich.console import Console

    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def widget_text(widget, width: int = 120) -> str:
    return plain_text(widget.content, width)
