"""The footer keeps help and quit in view when the terminal is too narrow for every key."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.rendering import screen_lines
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI


@pytest.mark.parametrize("size", [(80, 24), (60, 15), (40, 12)], ids=["80x24", "60x15", "40x12"])
async def test_the_footer_keeps_help_and_quit_in_view(size, make_app):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        keys = {key.key: key for key in app.screen.query(FooterKey)}
        width = size[0]
        for key, description in (("question_mark", "Help"), ("q", "Quit")):
            region = keys[key].region
            assert region.width and region.right <= width, f"{key} at {region}, the screen is {width} wide"
            assert description in screen_lines(app)[region.y][region.x : region.right]


async def test_the_app_keys_come_first_and_the_rest_keep_their_order(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        keys = [key.key for key in app.screen.query(FooterKey)]
        assert keys[:2] == ["question_mark", "q"]
        assert keys.index("n") < keys.index("p") < keys.index("r") < keys.index("c")


async def test_a_bindings_refresh_that_changes_no_key_rebuilds_nothing(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        keys = list(app.screen.query(FooterKey))
        for _ in range(5):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(app.screen.query(FooterKey)) == keys  # the very same widgets: no recompose
        app.screen.query_one("BatchTable").action_last_row()  # another batch: what is possible changes
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert any(key.key == "u" for key in app.screen.query(FooterKey))  # a mark shows the Unmark key


async def test_a_cursor_move_that_dims_and_enables_keys_updates_them_in_place():
    api = FakeAPI(batches=[numbered_batch(0, "in_progress"), numbered_batch(1, "completed", output_file_id="file-o")])
    app = build_app(transport=api.transport())
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        keys = list(app.screen.query(FooterKey))
        by_key = {key.key: key for key in keys}
        assert not dimmed(by_key["c"]) and dimmed(by_key["o"])  # a running batch: cancel, no output yet
        await pilot.press("down")
        await settle(app, pilot)
        assert list(app.screen.query(FooterKey)) == keys  # the same widgets, not a rebuilt footer
        assert dimmed(by_key["c"]) and not dimmed(by_key["o"])  # a finished one: output, nothing to cancel
        for key in keys:
            if not key.has_class("-command-palette"):
                assert dimmed(key) == (not app.screen.check_action(key.action, ())), key.key


def dimmed(key: FooterKey) -> bool:
    assert key._disabled == key.has_class("-disabled"), "a click and the look of the key disagree"
    return key.has_class("-disabled")
