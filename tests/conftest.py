import gc
import os
import sys
import time

import pytest

from tests.support.parsed_css import parse_each_css_once

# Local times appear on screen; pin the zone so snapshots do not depend on the machine's.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """Never the developer's own ~/.config/batchtui/config.toml: each test starts with no config file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))


@pytest.fixture(autouse=True)
def _css_parsed_once(monkeypatch):
    """Every app a test starts, in any folder, parses each piece of CSS once per worker."""
    parse_each_css_once(monkeypatch)


# Each app freezes what start-up built and unfreezes it on exit, so a test's whole app lands in the oldest
# generation and the collector walked everything every few tests (a quarter of the UI tests' CPU).
# Fewer young collections keep that in check; memory stays bounded by the full collections that remain.
# 50,000 rather than 5,000: on a slow host the workers spent 15-18 s of CPU collecting at 5,000 and 9-10 s at
# 50,000 (the whole run 6-8 core-seconds and ~3.5 s shorter); 200,000 collected less still but ran slower overall.
gc.set_threshold(50_000, 10, 10)


@pytest.hookimpl(tryfirst=True)  # first to register a cleanup, so the last to run: after pytest's own
def pytest_configure(config):
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:
        return
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        # At the end of a run pytest collects garbage five times over ("a single collection doesn't necessarily
        # collect everything") to report late unraisable exceptions; one collection still finds them. The stash
        # key is pytest's own override (meant for pytester).
        config.stash[gc_collect_iterations_key] = 1
        return
    # By the time its cleanups run, an xdist worker has sent its last report (pytest_sessionfinish). What its
    # final collection would find is the garbage of the few hundred apps it ran (each app unfreezes its heap
    # on exit, see batchtui/ui/app.py), a million objects: 3 s of CPU per worker, then a second or two freeing
    # the rest at interpreter exit, all after the last test. An exception found there would only be printed,
    # attributed to no test, while unraisable exceptions during the run fail the test that was running
    # (filterwarnings in pyproject.toml). So a worker skips both.
    config.stash[gc_collect_iterations_key] = 0
    config.add_cleanup(_leave_at_once)


def _leave_at_once() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
