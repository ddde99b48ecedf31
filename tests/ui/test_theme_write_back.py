"""A theme the user picks is written back to the config file; the theme the file set at start is not rewritten,
an unknown one is said once, and a file that cannot be written keeps the theme for the session with one toast."""

from __future__ import annotations

import stat

import pytest
from textual.command import CommandList, CommandPalette

from batchtui.config import Settings
from tests.support.apps import build_app
from tests.support.notifications import notifications
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

CONFIG = (
    '# my settings\ntheme = "textual-dark"  # keep this comment\n\n[profiles.work]\nbase_url = "http://fake.test/v1"\n'
)


def app_with(tmp_path, *, theme: str | None = "textual-dark", config_path=None, text: str | None = CONFIG):
    path = config_path or tmp_path / "config.toml"
    if text is not None and not path.exists():
        path.write_text(text, encoding="utf-8")
    settings = Settings(api_key="sk-test-SECRET-4f9a1c", base_url="http://fake.test/v1", theme=theme, config_path=path)
    return build_app(settings=settings, transport=FakeAPI().transport()), path


def toasts(app) -> list[tuple[str, str]]:
    return [(str(note.message), note.severity) for note in notifications(app)]


async def saved(app, pilot) -> None:
    await app.workers.wait_for_complete([worker for worker in app.workers if worker.group == "theme-save"])
    await pilot.pause()


async def test_a_theme_picked_in_the_palette_is_written_to_the_config_file(tmp_path):
    app, path = app_with(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"theme")
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")  # Textual's own Theme command opens the list of themes
        await wait_until(
            pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen.query_one("Input").value == ""
        )
        await pilot.press(*"nord")
        await wait_until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "nord")
        await wait_until(pilot, lambda: 'theme = "nord"' in path.read_text(encoding="utf-8"))
        await saved(app, pilot)
        assert path.read_text(encoding="utf-8") == CONFIG.replace('"textual-dark"', '"nord"')
        assert toasts(app) == []


async def test_two_quick_picks_leave_the_last_one_in_the_file(tmp_path):
    app, path = app_with(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        app.theme = "gruvbox"
        await wait_until(pilot, lambda: not [worker for worker in app.workers if worker.group == "theme-save"])
        assert 'theme = "gruvbox"' in path.read_text(encoding="utf-8")


async def test_the_theme_from_the_file_is_applied_and_not_written_back(tmp_path):
    text = CONFIG.replace("textual-dark", "textual-light")  # what the file says after settings were read
    app, path = app_with(tmp_path, theme="nord", text=text)
    before = path.stat().st_mtime_ns
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await saved(app, pilot)
        assert app.theme == "nord"
        assert path.read_text(encoding="utf-8") == text
        assert path.stat().st_mtime_ns == before
        assert toasts(app) == []


async def test_an_unknown_theme_keeps_the_default_and_says_so_once(tmp_path):
    app, path = app_with(tmp_path, theme="no-such-theme")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await saved(app, pilot)
        assert app.theme == "textual-dark"
        [(message, severity)] = toasts(app)
        assert "no-such-theme" in message and str(path) in message and severity == "warning"
        assert path.read_text(encoding="utf-8") == CONFIG


async def test_without_a_config_file_nothing_is_written(tmp_path):
    settings = Settings(api_key="sk-test-SECRET-4f9a1c", base_url="http://fake.test/v1")
    app = build_app(settings=settings, transport=FakeAPI().transport())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await saved(app, pilot)
        assert app.theme == "nord"
        assert toasts(app) == []
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("problem", ["read-only file", "a folder"])
async def test_a_file_that_cannot_be_written_keeps_the_theme_with_one_toast(tmp_path, problem):
    if problem == "read-only file":
        path = tmp_path / "config.toml"
        path.write_text(CONFIG, encoding="utf-8")
        path.chmod(stat.S_IRUSR)
        reason = "is read-only"
    else:
        path = tmp_path / "config.d"
        path.mkdir()
        reason = "Is a directory"
    app, path = app_with(tmp_path, config_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await wait_until(pilot, lambda: toasts(app))
        await saved(app, pilot)
        assert app.theme == "nord"
        [(message, severity)] = toasts(app)
        assert severity == "warning"
        assert "nord" in message and str(path) in message and reason in message
    if problem == "read-only file":
        assert path.read_text(encoding="utf-8") == CONFIG
