"""At 140 columns, with three profiles and a remapped cancel key, every key of the batch list fits the footer,
the palette's hint last; the ones kept out of it are still in help."""

from __future__ import annotations

from batchtui.config import Settings
from batchtui.ui.dialogs.help import HelpScreen
from tests.support.apps import FAKE_URL, build_app, with_profiles
from tests.support.batches import numbered_batch
from tests.support.keys import FAKE_KEY
from tests.support.rendering import screen_lines, widget_text
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI


async def test_the_footer_fits_140_columns_with_profiles_and_a_keymap():
    account = Settings(api_key=FAKE_KEY, base_url=FAKE_URL, refresh_seconds=3600.0, keymap={"cancel_batch": "x"})
    settings = with_profiles({"work": account, "azure": account, "gateway": account}, "work")
    api = FakeAPI([numbered_batch(i) for i in range(5)])
    app = build_app(transport=api.transport(), settings=settings)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        footer = screen_lines(app)[-1]
        for shown in ("? Help", "q Quit", "P Profile", "x Cancel", "m Mark", "/ Search", "N New", "R Retry"):
            assert shown in footer, (shown, footer)
        assert footer.rstrip().endswith("^p palette"), footer
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(widget_text(static, 140) for static in app.screen.query("Static"))
        assert "Copy the selected batch id" in help_text and "web dashboard" in help_text
