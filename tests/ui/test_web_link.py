"""`w` opens the selected batch in the OpenAI web dashboard, and shows the address as a link; elsewhere it says why not."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from textual.widgets._toast import Toast

from batchtui.ui.screens.batches import dashboard_url
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.notifications import notifications
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI

OPENAI = "https://api.openai.com/v1"


def record_opened(app) -> list[str]:
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)
    return opened


def toast_links(app) -> list[tuple[str, str]]:
    """Each toast's text, and the link it carries ("" when none), as Textual renders it."""
    rendered = []
    for notification in notifications(app):
        content = Toast(notification).render()
        links = [span.style for span in content.spans if "link" in str(span.style)]
        rendered.append((content.plain, str(links[0]) if links else ""))
    return rendered


def test_the_address_is_quoted_so_an_id_cannot_leave_the_path():
    assert dashboard_url("batch_abc") == "https://platform.openai.com/batches/batch_abc"
    assert dashboard_url("x/../y?z='\x1b") == "https://platform.openai.com/batches/x%2F..%2Fy%3Fz%3D%27%1B"


async def test_w_opens_the_dashboard_and_shows_the_link_on_api_openai_com(fake_api):
    app = build_app(transport=fake_api.transport(), base_url=OPENAI)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        opened = record_opened(app)
        assert app.screen.check_action("open_web", ()) is True
        await pilot.press("w")
        await pilot.pause()
        url = "https://platform.openai.com/batches/batch_0000"
        assert opened == [url]
        assert (f"Opened {url}", f"link='{url}'") in toast_links(app)


@pytest.mark.parametrize("keymap", [{}, {"open_web": "W"}], ids=["default", "remapped"])
async def test_elsewhere_w_is_dimmed_and_says_why(keymap, fake_api):
    app = build_app(transport=fake_api.transport())
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        app.set_keymap(keymap)
        await pilot.pause()
        opened = record_opened(app)
        assert app.screen.check_action("open_web", ()) is None
        await pilot.press("W" if keymap else "w")
        await pilot.pause()
        assert opened == []
        texts = [text for text, _ in toast_links(app)]
        assert texts == ["The web dashboard is only for api.openai.com; this is fake.test."]
        if keymap:
            await pilot.press("w")  # the old key does nothing any more, not even explain
            await pilot.pause()
            assert len(notifications(app)) == 1


async def test_a_hostile_id_becomes_neither_markup_nor_a_second_link():
    api = FakeAPI(batches=[numbered_batch(0, id="batch_[bold]x[/bold]'\x1b]8;;https://evil.test\x1b\\")])
    app = build_app(transport=api.transport(), base_url=OPENAI)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        opened = record_opened(app)
        await pilot.press("w")
        await pilot.pause()
        assert len(opened) == 1 and opened[0].startswith("https://platform.openai.com/batches/batch_%5Bbold%5Dx")
        ((text, link),) = toast_links(app)
        assert text == f"Opened {opened[0]}" and link == f"link='{opened[0]}'"
        parts = urlsplit(opened[0])
        assert parts.hostname == "platform.openai.com" and parts.path.count("/") == 2 and not parts.query
