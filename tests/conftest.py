import gc
import os
import time

import pytest

# Local times appear on screen; pin the zone so snapshots do not depend on the machine's.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """Never the developer's own ~/.config/batchtui/config.toml: each test starts with no config file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))


# Each app freezes what start-up built and unfreezes it on exit, so a test's whole app lands in the oldest
# generation and the collector walked everything every few tests (a quarter of the UI tests' CPU).
# Fewer young collections keep that in check; memory stays bounded by the full collections that remain.
gc.set_threshold(5_000, 10, 10)
