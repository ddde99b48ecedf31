"""The command palette (Ctrl+P) offers each action exactly when its key would act, and runs it as the key does."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets._footer import FooterKey

from batchtui.config import Settings
from batchtui.ui.commands import SCREEN_COMMANDS, BatchCommands
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.apps import build_app, connect_over, with_profiles
from tests.support.batches import batch_json
from tests.support.rendering import screen_lines, widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

WORK = Settings(api_key="sk-work-SECRET-1b2c3d", base_url="http://work.test/v1", refresh_seconds=3600)
HOME = Settings(api_key="sk-home-SECRET-9e8f7a", base_url="http://home.test/v1", refresh_seconds=3600)
LAB = Settings(api_key="sk-lab-SECRET-5d6e7f", base_url="http://lab.test/v1", refresh_seconds=3600)


async def offered(app) -> list[str]:
    """The titles the palette lists before anything is typed, from our provider, for the screen under it."""
    provider = BatchCommands(app.screen)
    return [hit.text async for hit in provider.discover()]


async def open_palette(app, pilot, typed: str) -> CommandPalette:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*typed)
    palette = app.screen
    await wait_until(pilot, lambda: palette.query_one(CommandList).option_count > 0)
    return palette


def options(palette: CommandPalette) -> list[str]:
    command_list = palette.query_one(CommandList)
    return [str(command_list.get_option_at_index(i).prompt).split("\n")[0] for i in range(command_list.option_count)]


async def test_the_palette_offers_cancel_only_on_a_batch_that_can_be_cancelled(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.selected_batch.status == "in_progress"
        titles = await offered(app)
        assert {"Cancel batch", "Copy batch id", "Refresh now", "Pause auto-refresh", "New batch"} <= set(titles)
        assert "Open output file" not in titles  # the batch has no output file yet
        assert "Sort" not in titles  # sorting is for search results
        await pilot.press("j")
        await pilot.pause()
        assert screen.selected_batch.status == "completed"
        assert "Cancel batch" not in await offered(app)


async def test_every_command_is_offered_exactly_when_the_screen_allows_its_action(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for row in range(4):  # in progress, completed, validating, failed
            titles = set(await offered(app))
            for command in SCREEN_COMMANDS:
                if not hasattr(screen, f"action_{command.action}"):
                    continue
                allowed = bool(screen.check_action(command.action, ()))
                assert (command.title in titles) is allowed, f"{command.title} on row {row}"
            await pilot.press("j")
            await pilot.pause()


async def test_the_help_text_names_the_key(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap({"cancel_batch": "x"})
        await pilot.pause()
        hits = {hit.text: hit.help async for hit in BatchCommands(app.screen).discover()}
        assert hits["Cancel batch"].endswith("· key x")


async def test_a_command_chosen_in_the_palette_runs_its_action(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert not screen.paused
        palette = await open_palette(app, pilot, "pause auto")
        assert options(palette)[0] == "Pause auto-refresh"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.paused)
        assert "Resume auto-refresh" in await offered(app)
        assert "Pause auto-refresh" not in await offered(app)


async def test_cancel_from_the_palette_asks_first(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, "cancel batch")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmCancel))
        assert app.screen.batch.id == "batch_0000"
        assert fake_api.count("POST") == 0


@pytest.mark.parametrize("read_only", [False, True], ids=["read-write", "read-only"])
async def test_read_only_offers_nothing_that_changes_the_account(read_only):
    statuses = ["in_progress", "expired"]
    api = FakeAPI(batches=[batch_json(f"batch_{i}", status=status) for i, status in enumerate(statuses)])
    settings = Settings(api_key="sk-test-SECRET-4f9a1c", base_url="http://fake.test/v1", read_only=read_only)
    app = build_app(settings=settings, connect_profile=connect_over({settings.base_url: api.transport()}))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        changes = {"Cancel batch", "New batch"}
        assert (changes <= set(await offered(app))) is not read_only
        assert not changes & set(await offered(app)) or not read_only
        await pilot.press("j")  # the expired batch: a retry file is possible
        await pilot.pause()
        assert ("Retry file" in await offered(app)) is not read_only


async def test_there_is_a_switch_command_for_each_other_profile(make_app):
    transports = {url: FakeAPI().transport() for url in (WORK.base_url, HOME.base_url, LAB.base_url)}
    settings = with_profiles({"work": WORK, "home": HOME, "lab": LAB}, "work")
    app = build_app(settings=settings, connect_profile=connect_over(transports))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        switches = [title for title in await offered(app) if title.startswith("Switch to profile")]
        assert switches == ["Switch to profile home", "Switch to profile lab"]
        before = app.screen
        palette = await open_palette(app, pilot, "profile lab")
        assert options(palette)[0] == "Switch to profile lab"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is not before and isinstance(app.screen, BatchesScreen))
        assert app.settings.profile == "lab"
        assert "lab · lab.test/v1" in widget_text(app.screen.query_one("#title-bar"), 160)
        switches = [title for title in await offered(app) if title.startswith("Switch to profile")]
        assert switches == ["Switch to profile work", "Switch to profile home"]


async def test_without_profiles_there_is_no_switch_command(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert not [title for title in await offered(app) if "profile" in title.lower()]


async def test_a_profile_name_that_looks_like_markup_reads_as_typed():
    odd = "[bold]x"
    transports = {url: FakeAPI().transport() for url in (WORK.base_url, HOME.base_url)}
    app = build_app(settings=with_profiles({"work": WORK, odd: HOME}, "work"), connect_profile=connect_over(transports))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        palette = await open_palette(app, pilot, "switch")
        assert f"Switch to profile {odd}" in options(palette)


@pytest.mark.parametrize("width", [120, 80])
async def test_the_footer_ends_with_the_palette_key_and_keeps_help_and_quit(make_app, width):
    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        keys = {key.key: key for key in app.screen.query(FooterKey)}
        palette = keys["ctrl+p"]
        line = screen_lines(app)[palette.region.y]
        assert palette.region.right == width  # docked at the very end: no cut-off key's letter shows after it
        assert line.endswith("▏^p palette ")
        for key in ("question_mark", "q"):
            assert keys[key].region.right <= palette.region.x
