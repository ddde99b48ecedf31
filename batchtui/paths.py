"""Where batchtui keeps things on disk: the platform's user directories, through platformdirs.

On Linux that honours XDG_CACHE_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME; BATCHTUI_CACHE_DIR
moves the cache (downloaded files, the history index) anywhere, for tests and for users alike.
Read at call time, so a changed environment takes effect.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "batchtui"
CACHE_ENV = "BATCHTUI_CACHE_DIR"


def cache_dir() -> Path:
    """Downloaded batch files and the local index: anything batchtui can fetch again."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The config file's folder."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """What cannot be fetched again and must outlive the cache."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)
