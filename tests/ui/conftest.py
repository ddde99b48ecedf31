from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

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
