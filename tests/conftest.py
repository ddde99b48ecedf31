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
