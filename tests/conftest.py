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


def pytest_configure(config):
    # At the end of a run pytest collects garbage five times over ("a single collection doesn't necessarily
    # collect everything") to report late unraisable exceptions: on a worker's heap of a few hundred apps that
    # was 3 s of CPU per worker. One collection still finds them. The stash key is pytest's own override (meant
    # for pytester); without it, the default stays.
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:
        return
    config.stash[gc_collect_iterations_key] = 1
