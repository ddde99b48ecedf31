"""batchtui's folders follow the platform's conventions (XDG on Linux) and BATCHTUI_CACHE_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from batchtui import paths


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", paths.CACHE_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


# These are Linux's conventions, where batchtui is built and tested; platformdirs maps them elsewhere.
def test_the_defaults_are_the_xdg_ones(home):
    assert paths.cache_dir() == home / ".cache" / "batchtui"
    assert paths.config_dir() == home / ".config" / "batchtui"
    assert paths.data_dir() == home / ".local" / "share" / "batchtui"


def test_xdg_variables_move_each_folder(home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "c"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "d"))
    assert paths.cache_dir() == home / "c" / "batchtui"
    assert paths.config_dir() == home / "cfg" / "batchtui"
    assert paths.data_dir() == home / "d" / "batchtui"


def test_batchtui_cache_dir_wins_over_xdg(home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "c"))
    monkeypatch.setenv(paths.CACHE_ENV, "~/elsewhere")
    assert paths.cache_dir() == home / "elsewhere"


def test_a_blank_batchtui_cache_dir_is_ignored(home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "c"))
    monkeypatch.setenv(paths.CACHE_ENV, "  ")
    assert paths.cache_dir().parent == home / "c"
