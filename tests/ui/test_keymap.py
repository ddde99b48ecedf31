"""A user keymap (binding id -> keys) shows everywhere: the footer, help, the dimmed-key fallbacks and the hints."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from batchtui.config import Settings
from batchtui.ui.dialogs.confirm_cancel import ConfirmCancel
from batchtui.ui.dialogs.help import HelpScreen
from batchtui.ui.screens.batches import BatchesScreen
from tests.support.apps import FAKE_URL, build_app, with_profiles
from tests.support.keys import FAKE_KEY
from tests.support.notifications import toasts
from tests.support.rendering import status_where, widget_text
from tests.support.waiting import settle

KEYMAP = {"cancel_batch": "x", "open_results": "O", "next_page": "ctrl+n", "last_row": "L"}


def footer_keys(app) -> dict[str, str]:
    return {key.description: key.key_display for key in app.screen.query(FooterKey)}


async def test_the_footer_shows_the_remapped_keys(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        assert footer_keys(app)["Cancel"] == "c"
        app.set_keymap(KEYMAP)
        await pilot.pause()
        keys = footer_keys(app)
        assert keys["Cancel"] == "x"
        assert keys["Next"] == "^n"


async def test_a_remapped_key_does_the_action_and_the_old_key_no_longer_does(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap(KEYMAP)
        await pilot.pause()
        assert app.screen.selected_batch.status == "in_progress"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, BatchesScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)


async def test_help_lists_the_remapped_keys_grouped_by_screen(make_app):
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        app.set_keymap(KEYMAP)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = [line.strip() for w in app.screen.query("Static") for line in widget_text(w, 160).splitlines()]
        rows = [" ".join(line.split()) for line in lines]
        assert "x Cancel the selected batch (asks first)" in rows
        assert "g L First / last row of the page" in rows
        assert "^c Quit batchtui, even from a text field" in rows
        titles = [group.title for group in app.screen.groups]
        assert titles == ["Batch list", "Everywhere", "New batch", "Output and error files", "Retry file"]
        assert "c" not in {keys for keys, _ in app.screen.groups[0].rows}
        assert not any(line.startswith(("Create:", "Results:", "Retry:")) for line in rows)


async def test_the_why_is_this_dimmed_fallback_follows_the_remapped_key(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap(KEYMAP)
        await pilot.pause()
        assert app.screen.selected_batch.output_file_id is None
        await pilot.press("o")
        await pilot.pause()
        assert not any("no output file" in toast for toast in toasts(app))
        await pilot.press("O")
        await pilot.pause()
        assert any("has no output file yet" in toast for toast in toasts(app))


async def test_the_status_line_hint_names_the_remapped_key(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap(KEYMAP)
        app.screen._render_status()
        await pilot.pause()
        assert "more → ^n" in status_where(app, 160)


async def test_the_keymap_from_the_settings_is_in_force_from_the_start(fake_api):
    settings = Settings(api_key=FAKE_KEY, base_url=FAKE_URL, keymap=KEYMAP)
    app = build_app(settings=settings, transport=fake_api.transport())
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert keys["Cancel"] == "x"
        assert keys["Next"] == "^n"
        await pilot.press("O")  # the dimmed key's fallback moved with it
        await pilot.pause()
        assert any("has no output file yet" in toast for toast in toasts(app))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)


async def test_the_profile_keys_fallback_follows_a_remapped_profile_key(fake_api):
    settings = with_profiles(
        {"work": Settings(api_key=FAKE_KEY, base_url=FAKE_URL, keymap={"switch_profile": "W"})}, "work"
    )
    app = build_app(settings=settings, transport=fake_api.transport())
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("P")
        await pilot.pause()
        assert toasts(app) == []
        await pilot.press("W")
        await pilot.pause()
        assert any("work is the only profile" in toast for toast in toasts(app))
