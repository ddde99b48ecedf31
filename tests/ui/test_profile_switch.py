"""Profiles at runtime: P opens the picker, a switch shows only the new account, a broken profile changes nothing."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets._footer import FooterKey

from batchtui.config import ConfigError, Settings
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.dialogs.profile_picker import ProfilePicker
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.apps import build_app, connect_over, with_profiles
from tests.support.batches import batch_json
from tests.support.notifications import notifications
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

WORK_KEY = "sk-work-SECRET-1b2c3d"
HOME_KEY = "sk-home-SECRET-9e8f7a"
WORK = Settings(api_key=WORK_KEY, base_url="http://work.test/v1", refresh_seconds=3600)
HOME = Settings(api_key=HOME_KEY, base_url="http://home.test/v1", refresh_seconds=3600)


def account(name: str) -> FakeAPI:
    return FakeAPI(batches=[batch_json(f"batch_{name}_{i}", status="in_progress") for i in range(3)])


@pytest.fixture
def apis() -> dict[str, FakeAPI]:
    return {WORK.base_url: account("work"), HOME.base_url: account("home")}


def profile_app(apis, profiles=None, current="work"):
    settings = with_profiles(profiles or {"work": WORK, "home": HOME}, current)
    transports = {url: api.transport() for url, api in apis.items()}
    return build_app(settings=settings, connect_profile=connect_over(transports))


def rows(app) -> list[str]:
    table = app.screen.query_one(BatchTable)
    return [table.coordinate_to_cell_key((i, 0))[0].value for i in range(table.row_count)]


def title(app) -> str:
    return " ".join(widget_text(app.screen.query_one("#title-bar", Static), 160).split())


def toasts(app) -> list[tuple[str, str]]:
    return [(str(note.message), note.severity) for note in notifications(app)]


def keys_sent(api: FakeAPI) -> set[str]:
    return {request.headers.get("authorization", "") for request in api.requests}


async def open_picker(app, pilot) -> ProfilePicker:
    await pilot.press("P")
    await wait_until(pilot, lambda: isinstance(app.screen, ProfilePicker) and app.screen.focused is not None)
    return app.screen


async def test_the_title_bar_names_the_profile_and_its_server(apis):
    app = profile_app(apis)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert title(app) == "batchtui · work · work.test/v1"


async def test_the_picker_lists_every_profile_with_the_one_in_use_marked(apis):
    app = profile_app(apis, {"work": WORK, "home": HOME, "lab": HOME}, current="home")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        picker = await open_picker(app, pilot)
        options = picker.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["  work", "● home  (in use)", "  lab"]
        assert options.highlighted == 1


async def test_escape_closes_the_picker_and_the_account_stays(apis):
    app = profile_app(apis)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await open_picker(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert app.settings.profile == "work"
        assert apis[HOME.base_url].requests == []


async def test_picking_the_profile_in_use_changes_nothing(apis):
    app = profile_app(apis)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await open_picker(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert apis[HOME.base_url].requests == []


async def test_a_switch_shows_only_the_new_account_under_its_name(apis):
    app = profile_app(apis)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        old_screen, old_client = app.screen, app.client
        assert rows(app) == ["batch_work_0", "batch_work_1", "batch_work_2"]
        app.notify("something about the work account")
        await open_picker(app, pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen) and app.screen is not old_screen)
        await settle(app, pilot)
        assert rows(app) == ["batch_home_0", "batch_home_1", "batch_home_2"]
        assert app.screen.selected_batch.id == "batch_home_0"
        assert title(app) == "batchtui · home · home.test/v1"
        assert app.settings.profile == "home"
        # The first account's list was Textual's default screen, which stays: stopped, with nothing of it left.
        assert old_screen.retired and old_screen.shown == [] and old_screen.table.row_count == 0
        assert old_screen._refresh_timer is None and old_screen._status_ticks._task is None  # both timers stopped
        await wait_until(pilot, lambda: old_client._http.is_closed)
        assert toasts(app) == []
        assert keys_sent(apis[WORK.base_url]) == {f"Bearer {WORK_KEY}"}
        assert keys_sent(apis[HOME.base_url]) == {f"Bearer {HOME_KEY}"}
        # A list switched to is removed whole by the next switch.
        home_screen = app.screen
        await open_picker(app, pilot)
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchesScreen) and app.screen is not home_screen)
        await settle(app, pilot)
        assert rows(app) == ["batch_work_0", "batch_work_1", "batch_work_2"]
        assert not home_screen.is_attached


async def test_a_profile_that_cannot_load_says_why_in_one_line_and_the_account_stays(apis):
    reason = "Profile broken: api_key_env names BROKEN_KEY, which is not set."
    app = profile_app(apis, {"work": WORK, "broken": ConfigError(reason)})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen, client = app.screen, app.client
        await open_picker(app, pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: toasts(app))
        await settle(app, pilot)
        assert toasts(app) == [(reason, "error")]
        assert app.screen is screen
        assert app.settings.profile == "work"
        assert app.client is client and not client._http.is_closed
        assert rows(app) == ["batch_work_0", "batch_work_1", "batch_work_2"]


async def test_a_load_error_quoting_a_key_shows_it_redacted(apis):
    app = profile_app(apis, {"work": WORK, "broken": ConfigError(f"Profile broken: {WORK_KEY} is not a URL.")})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.switch_profile("broken")
        await wait_until(pilot, lambda: toasts(app))
        assert WORK_KEY not in toasts(app)[0][0]
        assert "«redacted key»" in toasts(app)[0][0]


@pytest.mark.parametrize(
    ("profiles", "reason"),
    [({"work": WORK}, "work is the only profile"), (None, "There are no profiles to switch between")],
    ids=["one profile", "no config file"],
)
async def test_with_fewer_than_two_profiles_the_key_is_hidden_and_says_why(apis, profiles, reason):
    if profiles is None:
        app = build_app(settings=WORK, connect_profile=connect_over({WORK.base_url: apis[WORK.base_url].transport()}))
    else:
        app = profile_app(apis, profiles)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        assert "Profile" not in {key.description for key in app.screen.query(FooterKey)}
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)
        assert any(reason in message for message, _ in toasts(app))


async def test_with_two_profiles_the_footer_shows_the_key(apis):
    app = profile_app(apis)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        assert "Profile" in {key.description for key in app.screen.query(FooterKey)}


async def test_profiles_are_switched_only_from_the_batch_list(apis):
    app = profile_app(apis)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("P")  # a dialog hears only its own keys
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        other = Screen()
        await app.push_screen(other)  # a full screen, as the results or the create screen
        await pilot.press("P")
        await pilot.pause()
        assert app.screen is other
        assert any("close this screen first" in message for message, _ in toasts(app))
        assert apis[HOME.base_url].requests == []
